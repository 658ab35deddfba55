package io.jmmdit.engine;

/**
 * Rotary position embedding as FLUX applies it: each position axis i gets {@code axesDims[i]} channels of the head,
 * with frequencies ω_k = θ^(−2k/d_i); adjacent channel pairs (x[2k], x[2k+1]) are rotated by the angle pos·ω_k.
 */
public final class Rope {

    private Rope() {
    }

    /** cos and sin tables, each [L, Σ axesDims], every frequency repeated for its channel pair. */
    public record Tables(Tensor cos, Tensor sin) implements AutoCloseable {
        @Override
        public void close() {
            Tensor.closeAll(cos, sin);
        }
    }

    /**
     * Tables for positions {@code ids} [L, axes] (diffusers FluxPosEmbed: angles in float64, rounded to float32).
     */
    public static Tables tables(Tensor ids, int[] axesDims, double theta) {
        if (ids.rank() != 2 || ids.size(1) != axesDims.length) {
            throw new IllegalArgumentException("rope: ids " + ids.shapeString() + " must be [L, " + axesDims.length + "]");
        }
        int l = (int) ids.size(0);
        int total = 0;
        for (int d : axesDims) {
            if (d % 2 != 0) {
                throw new IllegalArgumentException("rope: axis dim " + d + " is odd");
            }
            total += d;
        }
        float[] pos = ids.toFloatArray();
        float[] cos = new float[l * total];
        float[] sin = new float[l * total];
        for (int t = 0; t < l; t++) {
            int off = 0;
            for (int ax = 0; ax < axesDims.length; ax++) {
                int d = axesDims[ax];
                double p = pos[t * axesDims.length + ax];
                for (int k = 0; k < d / 2; k++) {
                    double omega = 1.0 / Math.pow(theta, (2.0 * k) / d);
                    double angle = p * omega;
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    int i = t * total + off + 2 * k;
                    cos[i] = c;
                    cos[i + 1] = c;
                    sin[i] = s;
                    sin[i + 1] = s;
                }
                off += d;
            }
        }
        return new Tables(Tensor.of(cos, l, total), Tensor.of(sin, l, total));
    }

    /** x·cos + rotate(x)·sin with rotate(x)[2k] = −x[2k+1], rotate(x)[2k+1] = x[2k]; x is [..., L, D]. */
    public static Tensor apply(Tensor x, Tables t) {
        long d = x.size(-1);
        long[] shape = x.shape();
        long[] pairs = new long[shape.length + 1];
        System.arraycopy(shape, 0, pairs, 0, shape.length - 1);
        pairs[shape.length - 1] = d / 2;
        pairs[shape.length] = 2;
        try (Tensor xp = x.reshape(pairs);
             Tensor even = xp.slice(-1, 0, 1);
             Tensor odd = xp.slice(-1, 1, 2);
             Tensor negOdd = odd.neg();
             Tensor rotPairs = Tensor.concat(-1, negOdd, even);
             Tensor rot = rotPairs.reshape(shape);
             Tensor a = x.mul(t.cos());
             Tensor b = rot.mul(t.sin())) {
            return a.add(b);
        }
    }
}

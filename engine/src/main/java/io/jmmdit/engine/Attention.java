package io.jmmdit.engine;

/**
 * Scaled dot-product attention softmax(Q·Kᵀ/√d + mask)·V over [batch, heads, tokens, headDim]. Queries are processed
 * in chunks so the score matrix never exceeds {@link #MAX_SCORE_ELEMENTS} floats.
 */
public final class Attention {

    static final long MAX_SCORE_ELEMENTS = 1L << 26;

    private Attention() {
    }

    /**
     * @param q    [B, H, Lq, D]
     * @param k    [B, H, Lk, D]
     * @param v    [B, H, Lk, Dv]
     * @param mask additive, broadcastable to [B, H, Lq, Lk], or null
     * @return [B, H, Lq, Dv]
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor mask) {
        return scaledDotProduct(q, k, v, mask, MAX_SCORE_ELEMENTS);
    }

    /** As {@link #scaledDotProduct(Tensor, Tensor, Tensor, Tensor)} with an explicit score-matrix bound (tests). */
    static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor mask, long maxScoreElements) {
        checkShapes(q, k, v);
        long lq = q.size(2);
        long perRow = q.size(0) * q.size(1) * k.size(2);
        long chunk = Math.max(1, Math.min(lq, maxScoreElements / Math.max(1, perRow)));
        if (chunk >= lq) {
            try (Tensor p = probabilities(q, k, mask)) {
                return p.matmul(v);
            }
        }
        // the mask may have fewer than 4 dimensions (numpy broadcasting): its query axis is the second to last
        int maskQueryDim = mask == null ? -1 : mask.rank() - 2;
        Tensor[] parts = new Tensor[(int) ((lq + chunk - 1) / chunk)];
        for (int i = 0; i < parts.length; i++) {
            long from = i * chunk;
            long to = Math.min(lq, from + chunk);
            try (Tensor qc = q.slice(2, from, to);
                 Tensor mc = maskQueryDim < 0 || mask.size(maskQueryDim) == 1 ? null : mask.slice(maskQueryDim, from, to);
                 Tensor p = probabilities(qc, k, mc == null ? mask : mc)) {
                parts[i] = p.matmul(v);
            }
        }
        Tensor out = Tensor.concat(2, parts);
        Tensor.closeAll(parts);
        return out;
    }

    /** The attention probabilities softmax(Q·Kᵀ/√d + mask): [B, H, Lq, Lk]. */
    public static Tensor probabilities(Tensor q, Tensor k, Tensor mask) {
        float scale = (float) (1.0 / Math.sqrt(q.size(-1)));
        Tensor scores = q.matmulTransposed(k);
        scores.a.muli(scale);
        if (mask != null) {
            scores.addInPlace(mask);
        }
        Tensor p = Softmax.lastDim(scores);
        scores.close();
        return p;
    }

    private static void checkShapes(Tensor q, Tensor k, Tensor v) {
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4 || q.size(-1) != k.size(-1) || k.size(2) != v.size(2)
                || q.size(0) != k.size(0) || q.size(1) != k.size(1)) {
            throw new IllegalArgumentException("attention: q " + q.shapeString() + ", k " + k.shapeString() + ", v " + v.shapeString()
                    + " are not [B,H,L,D] with matching B, H, D and key length");
        }
    }
}

package io.jmmdit.model.noise;

import java.util.Arrays;

import io.jmmdit.engine.Tensor;

/**
 * Seeded standard-normal noise, bit-identical across runs, JVMs and platforms.
 *
 * <p>Algorithm (fixed; changing it changes every seeded result): the 64-bit seed is expanded by SplitMix64 into the
 * 256-bit state of xoshiro256** (Blackman &amp; Vigna); each pair of outputs gives two uniforms with 53 random bits,
 * {@code u1 ∈ (0, 1]} and {@code u2 ∈ [0, 1)}, and the Box–Muller transform
 * {@code r = sqrt(−2 ln u1)}, {@code (r cos 2πu2, r sin 2πu2)} in double precision via {@link StrictMath} (whose results
 * are specified bit-for-bit, unlike {@link Math}), each rounded to float32. Values fill the tensor in row-major order, so
 * the first k values for a seed are the same whatever the shape.
 *
 * <p>This does NOT reproduce PyTorch's {@code torch.randn} (Mersenne Twister + its own Box–Muller layout): a seed gives
 * different noise here than in diffusers, so images generated from the same seed differ from the Python ones.
 */
public final class GaussianNoise {

    private static final double TWO_PI = 2 * Math.PI;
    private static final double INV_2_POW_53 = 0x1.0p-53;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    private GaussianNoise(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
    }

    /** A float32 tensor of the given shape filled with independent N(0, 1) samples determined by {@code seed}. */
    public static Tensor sample(long seed, long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("noise shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("noise shape " + Arrays.toString(shape) + " has " + n + " elements, more than one array can hold");
        }
        float[] out = new float[(int) n];
        new GaussianNoise(seed).fill(out);
        return Tensor.of(out, shape);
    }

    private void fill(float[] out) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = ((nextLong() >>> 11) + 1) * INV_2_POW_53;
            double u2 = (nextLong() >>> 11) * INV_2_POW_53;
            double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
            double a = TWO_PI * u2;
            out[i] = (float) (r * StrictMath.cos(a));
            if (i + 1 < out.length) {
                out[i + 1] = (float) (r * StrictMath.sin(a));
            }
        }
    }

    /** SplitMix64 output function (Steele, Lea &amp; Flood), used to seed the state. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** xoshiro256** next(). */
    private long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }
}

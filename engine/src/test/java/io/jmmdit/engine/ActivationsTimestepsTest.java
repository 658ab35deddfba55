package io.jmmdit.engine;

import static io.jmmdit.engine.Ref.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

/** Activations against their formulas in float64, and diffusers' sinusoidal timestep embedding. */
class ActivationsTimestepsTest {

    private static final float[] X = {-6, -3, -1.5f, -1, -0.5f, -0.1f, 0, 0.1f, 0.5f, 1, 1.5f, 3, 6};

    private static double[] apply(DoubleUnaryOperator f) {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            y[i] = f.applyAsDouble(X[i]);
        }
        return y;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void geluTanhAndErfMatchTheirFormulas() {
        long[] s = {X.length};
        try (Tensor x = Tensor.of(X, X.length); Tensor t = Activations.geluTanh(x); Tensor e = Activations.geluErf(x)) {
            assertClose(apply(ActivationsTimestepsTest::geluTanh), s, t, 1e-6);
            assertClose(apply(v -> 0.5 * v * (1 + Ref.erf(v / Math.sqrt(2)))), s, e, 1e-6);
        }
        // hand values: GELU(1) = Φ(1) = 0.8413447, tanh-GELU(1) = 0.8411920
        try (Tensor one = Tensor.scalar(1); Tensor t = Activations.geluTanh(one); Tensor e = Activations.geluErf(one)) {
            assertClose(new double[] {0.8411920}, new long[] {1}, t, 1e-6);
            assertClose(new double[] {0.8413447}, new long[] {1}, e, 1e-6);
        }
    }

    @Test
    void quickGeluAndSilu() {
        long[] s = {X.length};
        try (Tensor x = Tensor.of(X, X.length); Tensor q = Activations.quickGelu(x); Tensor si = Activations.silu(x);
             Tensor inPlace = x.copy()) {
            assertClose(apply(v -> v * sigmoid(1.702 * v)), s, q, 1e-6);
            assertClose(apply(v -> v * sigmoid(v)), s, si, 1e-6);
            Tensor same = Activations.siluInPlace(inPlace);
            assertClose(apply(v -> v * sigmoid(v)), s, inPlace, 1e-6);
            assertArrayEquals(inPlace.toFloatArray(), same.toFloatArray());
            assertClose(apply(v -> v), s, x, 0); // the out-of-place ops left x alone
        }
    }

    /** diffusers get_timestep_embedding: float32 exponent and argument, then sin/cos, zero column for odd dims. */
    static double[] reference(float[] t, int dim, boolean flip, float shift, float scale, int maxPeriod) {
        int half = dim / 2;
        double[] out = new double[t.length * dim];
        for (int n = 0; n < t.length; n++) {
            for (int i = 0; i < half; i++) {
                float exponent = (float) -Math.log(maxPeriod) * i / (half - shift);
                float arg = scale * (t[n] * (float) Math.exp(exponent));
                out[n * dim + (flip ? half + i : i)] = Math.sin(arg);
                out[n * dim + (flip ? i : half + i)] = Math.cos(arg);
            }
        }
        return out;
    }

    @Test
    void sinusoidEveryFlipShiftAndParity() {
        float[] t = {0, 1, 250.5f, 999};
        for (boolean flip : new boolean[] {false, true}) {
            for (float shift : new float[] {0, 1}) {
                for (int dim : new int[] {8, 9, 256}) {
                    try (Tensor e = Timesteps.sinusoid(t, dim, flip, shift, 1, 10000)) {
                        assertClose(reference(t, dim, flip, shift, 1, 10000), new long[] {t.length, dim}, e, 1e-6);
                        if (dim % 2 == 1) {
                            for (int n = 0; n < t.length; n++) {
                                assertArrayEquals(new float[] {0}, new float[] {e.get(n, dim - 1)}, "padded column");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void sinusoidHandValues() {
        // dim 4, t = 1: shift 1 gives frequencies [1, 1/10000], shift 0 gives [1, 1/100]
        try (Tensor s1 = Timesteps.sinusoid(new float[] {1}, 4, false, 1, 1, 10000);
             Tensor s0 = Timesteps.sinusoid(new float[] {1}, 4, true, 0, 1, 10000);
             Tensor scaled = Timesteps.sinusoid(new float[] {1}, 2, false, 0, 1000, 10000);
             Tensor odd = Timesteps.sinusoid(new float[] {0}, 5, true, 0, 1, 10000)) {
            assertClose(new double[] {Math.sin(1), Math.sin(1e-4), Math.cos(1), Math.cos(1e-4)}, new long[] {1, 4}, s1, 1e-6);
            assertClose(new double[] {Math.cos(1), Math.cos(0.01), Math.sin(1), Math.sin(0.01)}, new long[] {1, 4}, s0, 1e-6);
            assertClose(new double[] {Math.sin(1000), Math.cos(1000)}, new long[] {1, 2}, scaled, 1e-5);
            assertClose(new double[] {1, 1, 0, 0, 0}, new long[] {1, 5}, odd, 0);
        }
    }
}

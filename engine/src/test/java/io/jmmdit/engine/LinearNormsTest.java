package io.jmmdit.engine;

import static io.jmmdit.engine.Ref.assertClose;
import static io.jmmdit.engine.Ref.rnd;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Linear and the normalisations against float64 loops. */
class LinearNormsTest {

    static double[] linear(float[] x, float[] w, float[] b, int rows, int in, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    acc += (double) x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = acc;
            }
        }
        return y;
    }

    @Test
    void linearOverLeadingDimsWithAndWithoutBias() {
        Random r = new Random(1);
        float[] x = rnd(r, 2 * 3 * 5);
        float[] w = rnd(r, 4 * 5);
        float[] b = rnd(r, 4);
        try (Tensor xt = Tensor.of(x, 2, 3, 5); Tensor wt = Tensor.of(w, 4, 5); Tensor bt = Tensor.of(b, 4);
             Tensor withBias = Linear.forward(xt, wt, bt); Tensor noBias = Linear.forward(xt, wt, null);
             Tensor x1 = Tensor.of(new float[] {1, 2, 3, 4, 5}, 5); Tensor y1 = Linear.forward(x1, wt, bt)) {
            assertClose(linear(x, w, b, 6, 5, 4), new long[] {2, 3, 4}, withBias, 1e-5);
            assertClose(linear(x, w, null, 6, 5, 4), new long[] {2, 3, 4}, noBias, 1e-5);
            assertClose(linear(new float[] {1, 2, 3, 4, 5}, w, b, 1, 5, 4), new long[] {4}, y1, 1e-5);
        }
    }

    @Test
    void linearRejectsMismatchedWeight() {
        try (Tensor x = Tensor.ones(2, 5); Tensor w = Tensor.ones(4, 6)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linear.forward(x, w, null));
            assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("[4, 6]"), e.getMessage());
        }
    }

    static double[] layerNorm(float[] x, int d, float[] w, float[] b, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double mu = 0;
            for (int i = 0; i < d; i++) {
                mu += x[r * d + i];
            }
            mu /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                var += (x[r * d + i] - mu) * (x[r * d + i] - mu);
            }
            var /= d;
            for (int i = 0; i < d; i++) {
                double v = (x[r * d + i] - mu) / Math.sqrt(var + eps);
                y[r * d + i] = v * (w == null ? 1 : w[i]) + (b == null ? 0 : b[i]);
            }
        }
        return y;
    }

    @Test
    void layerNormWithAndWithoutAffine() {
        Random r = new Random(2);
        float[] x = rnd(r, 2 * 3 * 8);
        float[] w = rnd(r, 8);
        float[] b = rnd(r, 8);
        try (Tensor xt = Tensor.of(x, 2, 3, 8); Tensor wt = Tensor.of(w, 8); Tensor bt = Tensor.of(b, 8);
             Tensor affine = Norms.layerNorm(xt, wt, bt, 1e-6); Tensor plain = Norms.layerNorm(xt, null, null, 1e-6)) {
            assertClose(layerNorm(x, 8, w, b, 1e-6), new long[] {2, 3, 8}, affine, 1e-5);
            assertClose(layerNorm(x, 8, null, null, 1e-6), new long[] {2, 3, 8}, plain, 1e-5);
        }
    }

    @Test
    void layerNormEpsilonMattersOnALowVarianceRow() {
        // variance ≈ 2.7e-6: ε = 1e-5 shrinks the output by about half, ε = 1e-12 leaves it at unit variance
        float[] x = {0.001f, -0.002f, 0.0015f, -0.0005f, 0.002f, -0.001f};
        try (Tensor xt = Tensor.of(x, 1, 6); Tensor big = Norms.layerNorm(xt, null, null, 1e-5);
             Tensor tiny = Norms.layerNorm(xt, null, null, 1e-12)) {
            assertClose(layerNorm(x, 6, null, null, 1e-5), new long[] {1, 6}, big, 1e-4);
            assertClose(layerNorm(x, 6, null, null, 1e-12), new long[] {1, 6}, tiny, 1e-4);
            assertTrue(Ref.maxAbsDiff(big, tiny) > 0.3, "eps had no effect");
        }
    }

    @Test
    void rmsNormWithAndWithoutWeight() {
        Random r = new Random(3);
        float[] x = rnd(r, 3 * 2 * 6);
        float[] w = rnd(r, 6);
        double eps = 1e-6;
        double[] ref = new double[x.length];
        double[] refPlain = new double[x.length];
        for (int row = 0; row < 6; row++) {
            double ms = 0;
            for (int i = 0; i < 6; i++) {
                ms += (double) x[row * 6 + i] * x[row * 6 + i];
            }
            double inv = 1 / Math.sqrt(ms / 6 + eps);
            for (int i = 0; i < 6; i++) {
                refPlain[row * 6 + i] = x[row * 6 + i] * inv;
                ref[row * 6 + i] = x[row * 6 + i] * inv * w[i];
            }
        }
        try (Tensor xt = Tensor.of(x, 3, 2, 6); Tensor wt = Tensor.of(w, 6);
             Tensor y = Norms.rmsNorm(xt, wt, eps); Tensor plain = Norms.rmsNorm(xt, null, eps)) {
            assertClose(ref, new long[] {3, 2, 6}, y, 1e-5);
            assertClose(refPlain, new long[] {3, 2, 6}, plain, 1e-5);
        }
        // hand-computed: [3, 4] has mean square 12.5, so the output is [3, 4]/√12.5
        try (Tensor xt = Tensor.of(new float[] {3, 4}, 2); Tensor y = Norms.rmsNorm(xt, null, 0)) {
            assertClose(new double[] {3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)}, new long[] {2}, y, 1e-6);
        }
    }

    static double[] groupNorm(float[] x, int n, int ch, int spatial, int groups, float[] w, float[] b, double eps) {
        double[] y = new double[x.length];
        int per = ch / groups;
        for (int s = 0; s < n; s++) {
            for (int g = 0; g < groups; g++) {
                double mu = 0;
                double sq = 0;
                for (int c = g * per; c < (g + 1) * per; c++) {
                    for (int p = 0; p < spatial; p++) {
                        mu += x[(s * ch + c) * spatial + p];
                    }
                }
                mu /= per * spatial;
                for (int c = g * per; c < (g + 1) * per; c++) {
                    for (int p = 0; p < spatial; p++) {
                        double d = x[(s * ch + c) * spatial + p] - mu;
                        sq += d * d;
                    }
                }
                double inv = 1 / Math.sqrt(sq / (per * spatial) + eps);
                for (int c = g * per; c < (g + 1) * per; c++) {
                    for (int p = 0; p < spatial; p++) {
                        int i = (s * ch + c) * spatial + p;
                        y[i] = (x[i] - mu) * inv * (w == null ? 1 : w[c]) + (b == null ? 0 : b[c]);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void groupNormNchwAndNcl() {
        Random r = new Random(4);
        float[] x = rnd(r, 2 * 6 * 3 * 4);
        float[] w = rnd(r, 6);
        float[] b = rnd(r, 6);
        try (Tensor xt = Tensor.of(x, 2, 6, 3, 4); Tensor wt = Tensor.of(w, 6); Tensor bt = Tensor.of(b, 6);
             Tensor y = Norms.groupNorm(xt, 3, wt, bt, 1e-6); Tensor plain = Norms.groupNorm(xt, 2, null, null, 1e-6);
             Tensor x3 = Tensor.of(x, 2, 6, 12); Tensor y3 = Norms.groupNorm(x3, 6, wt, bt, 1e-6)) {
            assertClose(groupNorm(x, 2, 6, 12, 3, w, b, 1e-6), new long[] {2, 6, 3, 4}, y, 1e-5);
            assertClose(groupNorm(x, 2, 6, 12, 2, null, null, 1e-6), new long[] {2, 6, 3, 4}, plain, 1e-5);
            assertClose(groupNorm(x, 2, 6, 12, 6, w, b, 1e-6), new long[] {2, 6, 12}, y3, 1e-5);
        }
        try (Tensor xt = Tensor.ones(1, 6, 2, 2)) {
            assertThrows(IllegalArgumentException.class, () -> Norms.groupNorm(xt, 4, null, null, 1e-6));
        }
    }
}

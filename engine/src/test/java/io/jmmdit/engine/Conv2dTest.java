package io.jmmdit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The im2col/gemm convolution against a direct float64 loop, over kernel/stride/padding/band combinations. */
class Conv2dTest {

    static float[] rnd(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    static double[] direct(float[] x, float[] w, float[] b, int n, int cin, int h, int wd, int cout, int k, int s, int p, int oh, int ow) {
        double[] out = new double[n * cout * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < cout; co++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        double acc = b == null ? 0 : b[co];
                        for (int ci = 0; ci < cin; ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * s + ky - p;
                                    int ix = xo * s + kx - p;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        acc += (double) x[((i * cin + ci) * h + iy) * wd + ix] * w[((co * cin + ci) * k + ky) * k + kx];
                                    }
                                }
                            }
                        }
                        out[((i * cout + co) * oh + y) * ow + xo] = acc;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void matchesDirectConvolution() {
        Random r = new Random(7);
        int[][] cases = { // n, cin, h, w, cout, k, stride, pad
                {1, 3, 9, 11, 5, 3, 1, 1}, {2, 4, 8, 6, 3, 3, 2, 0}, {2, 4, 9, 7, 3, 3, 2, 1}, {1, 6, 5, 5, 4, 1, 1, 0},
                {2, 2, 7, 10, 3, 5, 1, 2}, {1, 3, 6, 6, 2, 3, 1, 0}, {1, 2, 4, 4, 2, 3, 3, 2}};
        long saved = Conv2d.MAX_COLUMN_ELEMENTS;
        for (int[] c : cases) {
            int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], k = c[5], s = c[6], p = c[7];
            int oh = (h + 2 * p - k) / s + 1;
            int ow = (w + 2 * p - k) / s + 1;
            float[] x = rnd(r, n * cin * h * w);
            float[] wt = rnd(r, cout * cin * k * k);
            float[] b = rnd(r, cout);
            double[] ref = direct(x, wt, b, n, cin, h, w, cout, k, s, p, oh, ow);
            for (boolean withBias : new boolean[] {true, false}) {
                double[] refB = withBias ? ref : direct(x, wt, null, n, cin, h, w, cout, k, s, p, oh, ow);
                try (Tensor xt = Tensor.of(x, n, cin, h, w); Tensor wtt = Tensor.of(wt, cout, cin, k, k); Tensor bt = Tensor.of(b, cout)) {
                    for (int band : new int[] {1, 2, 1 << 24}) {
                        try (Tensor y = forwardWithBand(xt, wtt, withBias ? bt : null, s, p, (long) band * cin * k * k * ow)) {
                            assertArrayEquals(new long[] {n, cout, oh, ow}, y.shape());
                            float[] got = y.toFloatArray();
                            double err = 0;
                            for (int i = 0; i < got.length; i++) {
                                err = Math.max(err, Math.abs(got[i] - refB[i]));
                            }
                            assertTrue(err < 1e-4, java.util.Arrays.toString(c) + " band " + band + ": " + err);
                        }
                    }
                }
            }
        }
        assertTrue(Conv2d.MAX_COLUMN_ELEMENTS == saved);
    }

    private static Tensor forwardWithBand(Tensor x, Tensor w, Tensor b, int s, int p, long maxCols) {
        return Conv2d.forward(x, w, b, s, p, maxCols);
    }
}

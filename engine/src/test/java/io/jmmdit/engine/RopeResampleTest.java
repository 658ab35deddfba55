package io.jmmdit.engine;

import static io.jmmdit.engine.Ref.assertClose;
import static io.jmmdit.engine.Ref.rnd;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** FLUX RoPE, nearest ×2 upsampling and the VAE's padded stride-2 downsample against float64 loops. */
class RopeResampleTest {

    @Test
    void fluxRopeOverThreeAxes() {
        int[] axes = {2, 4, 6};
        int total = 12;
        int l = 5;
        int heads = 2;
        double theta = 10000;
        Random r = new Random(8);
        float[] ids = new float[l * 3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(64);
        }
        float[] x = rnd(r, heads * l * total);
        double[] cosRef = new double[l * total];
        double[] sinRef = new double[l * total];
        double[] ref = new double[x.length];
        for (int t = 0; t < l; t++) {
            int off = 0;
            for (int ax = 0; ax < 3; ax++) {
                int d = axes[ax];
                for (int k = 0; k < d / 2; k++) {
                    double angle = ids[t * 3 + ax] * Math.pow(theta, -2.0 * k / d);
                    int c = off + 2 * k;
                    cosRef[t * total + c] = cosRef[t * total + c + 1] = Math.cos(angle);
                    sinRef[t * total + c] = sinRef[t * total + c + 1] = Math.sin(angle);
                    for (int h = 0; h < heads; h++) {
                        int i = (h * l + t) * total + c;
                        ref[i] = x[i] * Math.cos(angle) - x[i + 1] * Math.sin(angle);
                        ref[i + 1] = x[i + 1] * Math.cos(angle) + x[i] * Math.sin(angle);
                    }
                }
                off += d;
            }
        }
        try (Tensor idt = Tensor.of(ids, l, 3); Rope.Tables tables = Rope.tables(idt, axes, theta);
             Tensor xt = Tensor.of(x, 1, heads, l, total); Tensor y = Rope.apply(xt, tables)) {
            assertClose(cosRef, new long[] {l, total}, tables.cos(), 1e-6);
            assertClose(sinRef, new long[] {l, total}, tables.sin(), 1e-6);
            assertClose(ref, new long[] {1, heads, l, total}, y, 1e-5);
        }
    }

    @Test
    void ropeRejectsOddAxisAndWrongIds() {
        try (Tensor ids = Tensor.zeros(4, 2)) {
            assertThrows(IllegalArgumentException.class, () -> Rope.tables(ids, new int[] {3, 4}, 10000));
            assertThrows(IllegalArgumentException.class, () -> Rope.tables(ids, new int[] {2, 4, 4}, 10000));
        }
    }

    @Test
    void nearestUpsamplingRepeatsEachPixelTwiceInBothDirections() {
        int n = 2, c = 3, h = 2, w = 3;
        try (Tensor x = Tensor.arange(n * c * h * w); Tensor x4 = x.reshape(n, c, h, w); Tensor y = Resample.upsampleNearest2x(x4)) {
            double[] ref = new double[n * c * 4 * h * w];
            for (int i = 0; i < n * c; i++) {
                for (int yy = 0; yy < 2 * h; yy++) {
                    for (int xx = 0; xx < 2 * w; xx++) {
                        ref[(i * 2 * h + yy) * 2 * w + xx] = (i * h + yy / 2) * w + xx / 2;
                    }
                }
            }
            assertClose(ref, new long[] {n, c, 2 * h, 2 * w}, y, 0);
        }
        try (Tensor x = Tensor.ones(2, 3, 4)) {
            assertThrows(IllegalArgumentException.class, () -> Resample.upsampleNearest2x(x));
        }
    }

    @Test
    void downsamplePadsOnlyRightAndBottom() {
        int n = 2, cin = 2, h = 5, w = 6, cout = 3;
        Random r = new Random(9);
        float[] x = rnd(r, n * cin * h * w);
        float[] wt = rnd(r, cout * cin * 9);
        float[] b = rnd(r, cout);
        int oh = (h + 1 - 3) / 2 + 1;
        int ow = (w + 1 - 3) / 2 + 1;
        double[] ref = new double[n * cout * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < cout; co++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        double acc = b[co];
                        for (int ci = 0; ci < cin; ci++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int iy = 2 * y + ky; // no top/left padding
                                    int ix = 2 * xo + kx;
                                    if (iy < h && ix < w) { // the padded bottom row and right column are zero
                                        acc += (double) x[((i * cin + ci) * h + iy) * w + ix] * wt[((co * cin + ci) * 3 + ky) * 3 + kx];
                                    }
                                }
                            }
                        }
                        ref[((i * cout + co) * oh + y) * ow + xo] = acc;
                    }
                }
            }
        }
        try (Tensor xt = Tensor.of(x, n, cin, h, w); Tensor wtt = Tensor.of(wt, cout, cin, 3, 3); Tensor bt = Tensor.of(b, cout);
             Tensor y = Resample.downsampleStride2(xt, wtt, bt)) {
            assertClose(ref, new long[] {n, cout, oh, ow}, y, 1e-5);
        }
    }

    @Test
    void padPlacesTheInputAtLeftTopOffsets() {
        try (Tensor x = Tensor.ones(1, 1, 2, 2); Tensor p = Resample.pad(x, 1, 0, 0, 2)) {
            assertClose(new double[] {0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0}, new long[] {1, 1, 4, 3}, p, 0);
        }
    }
}

package io.jmmdit.engine;

import static io.jmmdit.engine.Ref.assertClose;
import static io.jmmdit.engine.Ref.rnd;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Softmax and scaled dot-product attention against float64 loops; the chunked path against the unchunked one. */
class SoftmaxAttentionTest {

    static double[] softmaxRows(double[] x, int d) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < d; i++) {
                m = Math.max(m, x[r * d + i]);
            }
            double s = 0;
            for (int i = 0; i < d; i++) {
                y[r * d + i] = Math.exp(x[r * d + i] - m);
                s += y[r * d + i];
            }
            for (int i = 0; i < d; i++) {
                y[r * d + i] /= s;
            }
        }
        return y;
    }

    @Test
    void softmaxIsStableForLargeInputs() {
        float[] x = {1000, 1001, 1002, -1000, -1001, -1002, 0, 0, 0, 88, 89, -89};
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
        }
        try (Tensor xt = Tensor.of(x, 2, 2, 3); Tensor y = Softmax.lastDim(xt)) {
            assertClose(softmaxRows(xd, 3), new long[] {2, 2, 3}, y, 1e-6);
            // hand-computed: equal inputs give 1/3 each; [1000, 1001, 1002] gives 1/(1 + e + e²), …
            assertClose(new double[] {1 / (1 + Math.E + Math.E * Math.E)}, new long[] {1}, Tensor.scalar(y.get(0, 0, 0)), 1e-6);
            assertClose(new double[] {1.0 / 3}, new long[] {1}, Tensor.scalar(y.get(1, 0, 1)), 1e-6);
        }
    }

    @Test
    void softmaxOverWideRowsAndInPlaceOnARowBlock() {
        Random r = new Random(12);
        int d = 1537;
        float[] x = rnd(r, 2 * 3 * 5 * d);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 20;
        }
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
        }
        double[] ref = softmaxRows(xd, d);
        try (Tensor xt = Tensor.of(x, 2, 3, 5, d); Tensor y = Softmax.lastDim(xt); Tensor m = Tensor.of(x, 30, d)) {
            assertClose(ref, new long[] {2, 3, 5, d}, y, 1e-6);
            // rows 7..11 of a matrix, in place: the block is softmaxed, the other rows are untouched
            Softmax.lastDimInPlace(m.a.get(NDArrayIndex.interval(7, 12), NDArrayIndex.all()));
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = i >= 7 * d && i < 12 * d ? ref[i] : x[i];
            }
            assertClose(expected, new long[] {30, d}, m, 1e-6);
        }
    }

    /** softmax(q·kᵀ/√d + mask)·v per (b, h) with the mask broadcast from [mb, mh, mq, Lk] (sizes 1 or full). */
    static double[] attention(float[] q, float[] k, float[] v, float[] mask, int[] maskShape,
                              int b, int h, int lq, int lk, int d, int dv) {
        double[] out = new double[b * h * lq * dv];
        for (int bi = 0; bi < b; bi++) {
            for (int hi = 0; hi < h; hi++) {
                for (int i = 0; i < lq; i++) {
                    double[] s = new double[lk];
                    for (int j = 0; j < lk; j++) {
                        double acc = 0;
                        for (int c = 0; c < d; c++) {
                            acc += (double) q[((bi * h + hi) * lq + i) * d + c] * k[((bi * h + hi) * lk + j) * d + c];
                        }
                        s[j] = acc / Math.sqrt(d);
                        if (mask != null) {
                            int mb = maskShape[0] == 1 ? 0 : bi;
                            int mh = maskShape[1] == 1 ? 0 : hi;
                            int mq = maskShape[2] == 1 ? 0 : i;
                            s[j] += mask[((mb * maskShape[1] + mh) * maskShape[2] + mq) * lk + j];
                        }
                    }
                    double[] p = softmaxRows(s, lk);
                    for (int c = 0; c < dv; c++) {
                        double acc = 0;
                        for (int j = 0; j < lk; j++) {
                            acc += p[j] * v[((bi * h + hi) * lk + j) * dv + c];
                        }
                        out[((bi * h + hi) * lq + i) * dv + c] = acc;
                    }
                }
            }
        }
        return out;
    }

    private static final int B = 2, H = 3, LQ = 5, LK = 7, D = 4, DV = 6;

    @Test
    void multiHeadWithAndWithoutMasks() {
        Random r = new Random(5);
        float[] q = rnd(r, B * H * LQ * D);
        float[] k = rnd(r, B * H * LK * D);
        float[] v = rnd(r, B * H * LK * DV);
        int[][] maskShapes = {{B, H, LQ}, {1, 1, LQ}, {B, 1, 1}, {1, H, 1}};
        try (Tensor qt = Tensor.of(q, B, H, LQ, D); Tensor kt = Tensor.of(k, B, H, LK, D); Tensor vt = Tensor.of(v, B, H, LK, DV)) {
            long[] outShape = {B, H, LQ, DV};
            try (Tensor y = Attention.scaledDotProduct(qt, kt, vt, null)) {
                assertClose(attention(q, k, v, null, null, B, H, LQ, LK, D, DV), outShape, y, 1e-5);
            }
            for (int[] ms : maskShapes) {
                float[] m = rnd(r, ms[0] * ms[1] * ms[2] * LK);
                m[0] = -1e9f; // a masked-out key
                try (Tensor mt = Tensor.of(m, ms[0], ms[1], ms[2], LK);
                     Tensor y = Attention.scaledDotProduct(qt, kt, vt, mt);
                     Tensor chunked = Attention.scaledDotProduct(qt, kt, vt, mt, 2L * LK)) {
                    double[] ref = attention(q, k, v, m, ms, B, H, LQ, LK, D, DV);
                    assertClose(ref, outShape, y, 1e-5);
                    assertClose(ref, outShape, chunked, 1e-5);
                }
            }
        }
    }

    @Test
    void chunkedEqualsUnchunkedForEveryChunkSizeAndMaskRank() {
        Random r = new Random(6);
        try (Tensor q = Tensor.of(rnd(r, B * H * LQ * D), B, H, LQ, D);
             Tensor k = Tensor.of(rnd(r, B * H * LK * D), B, H, LK, D);
             Tensor v = Tensor.of(rnd(r, B * H * LK * DV), B, H, LK, DV);
             Tensor mask4 = Tensor.of(rnd(r, B * H * LQ * LK), B, H, LQ, LK);
             Tensor mask2 = Tensor.of(rnd(r, LQ * LK), LQ, LK);
             Tensor mask1 = Tensor.of(rnd(r, LK), LK)) {
            for (Tensor mask : new Tensor[] {null, mask4, mask2, mask1}) {
                try (Tensor whole = Attention.scaledDotProduct(q, k, v, mask, Long.MAX_VALUE)) {
                    for (long rows = 1; rows <= LQ; rows++) {
                        try (Tensor c = Attention.scaledDotProduct(q, k, v, mask, rows * LK)) {
                            assertTrue(Ref.maxAbsDiff(whole, c) < 1e-6, "chunk of " + rows + " rows, mask " + mask);
                        }
                    }
                }
            }
        }
    }

    @Test
    void minusInfinityMaskGivesZeroWeight() {
        float inf = Float.NEGATIVE_INFINITY;
        try (Tensor q = Tensor.ones(1, 1, 2, 2); Tensor k = Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 1, 1, 3, 2);
             Tensor v = Tensor.of(new float[] {1, 10, 100}, 1, 1, 3, 1); Tensor mask = Tensor.of(new float[] {0, inf, inf, 0, 0, inf}, 2, 3);
             Tensor y = Attention.scaledDotProduct(q, k, v, mask); Tensor p = Attention.probabilities(q, k, mask)) {
            // row 0 sees key 0 only; row 1 sees keys 0 and 1, whose scores are equal
            assertClose(new double[] {1, 0, 0, 0.5, 0.5, 0}, new long[] {1, 1, 2, 3}, p, 1e-6);
            assertClose(new double[] {1, 5.5}, new long[] {1, 1, 2, 1}, y, 1e-6);
        }
    }

    @Test
    void probabilityRowsSumToOne() {
        Random r = new Random(7);
        try (Tensor q = Tensor.of(rnd(r, B * H * LQ * D), B, H, LQ, D); Tensor k = Tensor.of(rnd(r, B * H * LK * D), B, H, LK, D);
             Tensor mask = Tensor.of(rnd(r, LK), 1, 1, 1, LK); Tensor p = Attention.probabilities(q, k, mask);
             Tensor sums = p.sum(-1)) {
            double[] ones = new double[B * H * LQ];
            Arrays.fill(ones, 1);
            assertClose(ones, new long[] {B, H, LQ, 1}, sums, 1e-6);
            assertTrue(p.toFloatArray()[0] > 0 && p.maxAbs() <= 1);
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (Tensor q = Tensor.ones(1, 2, 3, 4); Tensor k = Tensor.ones(1, 2, 5, 8); Tensor v = Tensor.ones(1, 2, 5, 4);
             Tensor k4 = Tensor.ones(1, 2, 5, 4); Tensor badMask = Tensor.zeros(1, 3, 3, 5); Tensor longMask = Tensor.zeros(1, 1, 1, 3, 5)) {
            assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, k, v, null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, k4, v, badMask));
            assertTrue(e.getMessage().contains("[1, 3, 3, 5]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, k4, v, longMask));
        }
    }
}

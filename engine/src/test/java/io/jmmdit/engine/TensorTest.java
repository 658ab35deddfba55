package io.jmmdit.engine;

import static io.jmmdit.engine.Ref.assertClose;
import static io.jmmdit.engine.Ref.rnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Broadcasting, matmul, reshape/close ownership, byte-buffer creation and concat. */
class TensorTest {

    /** numpy-style broadcast of a rank-3 [a0,a1,a2] op b (shapes already padded to rank 3). */
    static double[] broadcast(float[] x, int[] xs, float[] y, int[] ys, int[] out, java.util.function.DoubleBinaryOperator f) {
        double[] z = new double[out[0] * out[1] * out[2]];
        for (int i = 0; i < out[0]; i++) {
            for (int j = 0; j < out[1]; j++) {
                for (int k = 0; k < out[2]; k++) {
                    double a = x[((xs[0] == 1 ? 0 : i) * xs[1] + (xs[1] == 1 ? 0 : j)) * xs[2] + (xs[2] == 1 ? 0 : k)];
                    double b = y[((ys[0] == 1 ? 0 : i) * ys[1] + (ys[1] == 1 ? 0 : j)) * ys[2] + (ys[2] == 1 ? 0 : k)];
                    z[(i * out[1] + j) * out[2] + k] = f.applyAsDouble(a, b);
                }
            }
        }
        return z;
    }

    @Test
    void broadcastingRankMismatchAndSizeOneDims() {
        Random r = new Random(10);
        float[] x = rnd(r, 2 * 3 * 4);
        float[] row = rnd(r, 4);
        float[] a = rnd(r, 2 * 4);
        float[] b = rnd(r, 3);
        for (int i = 0; i < row.length; i++) {
            row[i] += Math.copySign(1, row[i]); // keep divisors away from zero
        }
        try (Tensor xt = Tensor.of(x, 2, 3, 4); Tensor rt = Tensor.of(row, 4); Tensor at = Tensor.of(a, 2, 1, 4); Tensor bt = Tensor.of(b, 3, 1);
             Tensor sum = xt.add(rt); Tensor diff = rt.sub(xt); Tensor quot = xt.div(rt); Tensor outer = at.mul(bt)) {
            int[] full = {2, 3, 4};
            long[] fullL = {2, 3, 4};
            assertClose(broadcast(x, full, row, new int[] {1, 1, 4}, full, Double::sum), fullL, sum, 1e-6);
            assertClose(broadcast(row, new int[] {1, 1, 4}, x, full, full, (p, q) -> p - q), fullL, diff, 1e-6);
            assertClose(broadcast(x, full, row, new int[] {1, 1, 4}, full, (p, q) -> p / q), fullL, quot, 1e-6);
            assertClose(broadcast(a, new int[] {2, 1, 4}, b, new int[] {1, 3, 1}, full, (p, q) -> p * q), fullL, outer, 1e-6);
        }
    }

    @Test
    void incompatibleShapesFailWithBothShapes() {
        try (Tensor x = Tensor.ones(2, 3); Tensor y = Tensor.ones(4); Tensor z = Tensor.ones(2, 1, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.add(y));
            assertTrue(e.getMessage().contains("[1, 4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> x.mul(Tensor.ones(3, 3)));
            try (Tensor ok = x.mul(z)) {
                assertArrayEquals(new long[] {2, 2, 3}, ok.shape());
            }
        }
    }

    @Test
    void addInPlaceBroadcastsIntoThisShapeOnly() {
        try (Tensor x = Tensor.ones(2, 3); Tensor row = Tensor.of(new float[] {1, 2, 3}, 3); Tensor big = Tensor.ones(2, 2, 3)) {
            Tensor same = x.addInPlace(row);
            assertTrue(same == x);
            assertClose(new double[] {2, 3, 4, 2, 3, 4}, new long[] {2, 3}, x, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.addInPlace(big));
            assertTrue(e.getMessage().contains("[2, 2, 3]"), e.getMessage());
            assertClose(new double[] {2, 3, 4, 2, 3, 4}, new long[] {2, 3}, x, 0);
        }
    }

    static double[] matmul(float[] x, float[] y, int batch, int m, int k, int n, boolean shareY, boolean transposeY) {
        double[] z = new double[batch * m * n];
        for (int b = 0; b < batch; b++) {
            int yb = shareY ? 0 : b;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int c = 0; c < k; c++) {
                        float yv = transposeY ? y[(yb * n + j) * k + c] : y[(yb * k + c) * n + j];
                        acc += (double) x[(b * m + i) * k + c] * yv;
                    }
                    z[(b * m + i) * n + j] = acc;
                }
            }
        }
        return z;
    }

    @Test
    void batchedAndSharedRightOperandMatmul() {
        Random r = new Random(11);
        float[] x = rnd(r, 2 * 3 * 4 * 5);
        float[] y = rnd(r, 2 * 3 * 5 * 6);
        float[] yt = rnd(r, 2 * 3 * 6 * 5);
        float[] w = rnd(r, 5 * 6);
        float[] wt = rnd(r, 6 * 5);
        try (Tensor xt = Tensor.of(x, 2, 3, 4, 5); Tensor ytt = Tensor.of(y, 2, 3, 5, 6); Tensor yTt = Tensor.of(yt, 2, 3, 6, 5);
             Tensor wtt = Tensor.of(w, 5, 6); Tensor wTt = Tensor.of(wt, 6, 5); Tensor x3 = Tensor.of(x, 6, 4, 5);
             Tensor x2 = Tensor.of(x, 24, 5);
             Tensor batched = xt.matmul(ytt); Tensor batchedT = xt.matmulTransposed(yTt);
             Tensor shared = x3.matmul(wtt); Tensor sharedT = x3.matmulTransposed(wTt); Tensor shared4 = xt.matmul(wtt);
             Tensor plain = x2.matmul(wtt)) {
            assertClose(matmul(x, y, 6, 4, 5, 6, false, false), new long[] {2, 3, 4, 6}, batched, 1e-5);
            assertClose(matmul(x, yt, 6, 4, 5, 6, false, true), new long[] {2, 3, 4, 6}, batchedT, 1e-5);
            assertClose(matmul(x, w, 6, 4, 5, 6, true, false), new long[] {6, 4, 6}, shared, 1e-5);
            assertClose(matmul(x, wt, 6, 4, 5, 6, true, true), new long[] {6, 4, 6}, sharedT, 1e-5);
            assertClose(matmul(x, w, 6, 4, 5, 6, true, false), new long[] {2, 3, 4, 6}, shared4, 1e-5);
            assertClose(matmul(x, w, 1, 24, 5, 6, true, false), new long[] {24, 6}, plain, 1e-5);
        }
    }

    @Test
    void matmulWithEmptyDimensions() {
        try (Tensor x = Tensor.zeros(2, 0, 3); Tensor y = Tensor.zeros(2, 3, 4); Tensor z = x.matmul(y);
             Tensor a = Tensor.zeros(2, 4, 0); Tensor b = Tensor.zeros(2, 0, 5); Tensor c = a.matmul(b);
             Tensor w = Tensor.zeros(7, 0); Tensor d = a.matmulTransposed(w)) {
            assertArrayEquals(new long[] {2, 0, 4}, z.shape());
            assertArrayEquals(new long[] {2, 4, 5}, c.shape());
            assertTrue(c.maxAbs() == 0, "an empty inner dimension sums to zero");
            assertArrayEquals(new long[] {2, 4, 7}, d.shape());
        }
    }

    @Test
    void matmulRejectsMismatchedOperands() {
        try (Tensor x = Tensor.ones(2, 3, 4); Tensor inner = Tensor.ones(2, 5, 6); Tensor batch = Tensor.ones(3, 4, 6);
             Tensor w = Tensor.ones(5, 6)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.matmul(inner));
            assertTrue(e.getMessage().contains("[2, 3, 4]") && e.getMessage().contains("[2, 5, 6]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> x.matmul(batch));
            assertThrows(IllegalArgumentException.class, () -> x.matmul(w));
            assertThrows(IllegalArgumentException.class, () -> x.matmulTransposed(w));
        }
    }

    @Test
    void closingAReshapeViewKeepsTheParent() {
        Tensor parent = Tensor.arange(6);
        Tensor view = parent.reshape(2, -1);
        assertArrayEquals(new long[] {2, 3}, view.shape());
        assertClose(new double[] {0, 1, 2, 3, 4, 5}, new long[] {2, 3}, view, 0);
        view.close();
        assertFalse(parent.a.wasClosed());
        assertClose(new double[] {0, 1, 2, 3, 4, 5}, new long[] {6}, parent, 0);
        try (Tensor again = parent.reshape(3, 2)) {
            assertClose(new double[] {0, 1, 2, 3, 4, 5}, new long[] {3, 2}, again, 0);
        }
        parent.close();
        assertTrue(parent.a.wasClosed(), "an owning tensor frees its buffer");
        parent.close(); // idempotent
    }

    @Test
    void closingAReshapedResultFreesItsMemory() {
        // ops return reshapes of fresh arrays, which ND4J flags as views and will not close by itself
        try (Tensor x = Tensor.ones(2, 3, 4); Tensor w = Tensor.ones(5, 4); Tensor q = Tensor.ones(1, 2, 3, 4)) {
            Tensor[] outs = {Linear.forward(x, w, null), Norms.layerNorm(x, null, null, 1e-6), Attention.scaledDotProduct(q, q, q, null),
                x.matmulTransposed(w), Softmax.lastDim(x)};
            for (Tensor y : outs) {
                assertFalse(y.a.wasClosed());
                y.close();
                assertTrue(y.a.wasClosed(), "closed " + y);
                y.close();
            }
            assertFalse(x.a.wasClosed() || w.a.wasClosed() || q.a.wasClosed());
        }
    }

    @Test
    void opResultsAreUsedWithoutCopies() {
        Random r = new Random(13);
        float[] xf = rnd(r, 2 * 4 * 6 * 5);
        try (Tensor x = Tensor.of(xf, 2, 4, 6, 5); Tensor w = Tensor.of(rnd(r, 5 * 5), 5, 5); Tensor cw = Tensor.of(rnd(r, 3 * 4 * 9), 3, 4, 3, 3);
             Tensor y = Linear.forward(x, w, null); Tensor g = Norms.groupNorm(y, 2, null, null, 1e-6); Tensor gCopy = Tensor.of(g.toFloatArray(), g.shape());
             Tensor conv = Conv2d.forward(g, cw, null, 1, 1); Tensor convRef = Conv2d.forward(gCopy, cw, null, 1, 1);
             Tensor up = Resample.upsampleNearest2x(g); Tensor upRef = Resample.upsampleNearest2x(gCopy);
             Tensor lin = Linear.forward(g, w, null); Tensor linRef = Linear.forward(gCopy, w, null)) {
            // Linear's rank-4 result is a reshape, which ND4J calls a view; the engine must still take it as it is
            assertTrue(y.a.isView());
            assertTrue(Tensor.contiguous(y.a) == y.a, "an op result is copied again");
            assertTrue(Ref.maxAbsDiff(conv, convRef) == 0 && Ref.maxAbsDiff(up, upRef) == 0 && Ref.maxAbsDiff(lin, linRef) == 0);
            try (Tensor slice = x.slice(2, 1, 3); Tensor sliceRef = Tensor.of(slice.toFloatArray(), slice.shape())) {
                assertTrue(Ref.maxAbsDiff(slice, sliceRef) == 0);
            }
        }
    }

    @Test
    void ofFloat32BytesOverDirectAndHeapBuffers() {
        float[] values = {1.5f, -2, 3.25f, 0, 1e-3f, -7};
        for (boolean direct : new boolean[] {true, false}) {
            ByteBuffer buf = direct ? ByteBuffer.allocateDirect(8 + 4 * values.length + 4) : ByteBuffer.allocate(8 + 4 * values.length + 4);
            buf.order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(-1L);
            for (float v : values) {
                buf.putFloat(v);
            }
            buf.position(8);
            buf.order(ByteOrder.BIG_ENDIAN); // the bytes are little-endian whatever the buffer's order
            try (Tensor t = Tensor.ofFloat32Bytes(buf, 2, 3)) {
                assertArrayEquals(new long[] {2, 3}, t.shape());
                assertArrayEquals(values, t.toFloatArray(), "direct " + direct);
            }
            assertTrue(buf.position() == 8, "position left alone");
            try (Tensor empty = Tensor.ofFloat32Bytes(buf, 0, 3)) {
                assertTrue(empty.length() == 0);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloat32Bytes(buf, 2, 4));
            assertTrue(e.getMessage().contains("28 bytes"), e.getMessage());
        }
    }

    @Test
    void concatAlongFirstLastAndMiddleDims() {
        try (Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2); Tensor b = Tensor.of(new float[] {5, 6}, 1, 2);
             Tensor c = Tensor.of(new float[] {7, 8}, 2, 1);
             Tensor rows = Tensor.concat(0, a, b); Tensor cols = Tensor.concat(-1, a, c, c)) {
            assertClose(new double[] {1, 2, 3, 4, 5, 6}, new long[] {3, 2}, rows, 0);
            assertClose(new double[] {1, 2, 7, 7, 3, 4, 8, 8}, new long[] {2, 4}, cols, 0);
        }
        Tensor src = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        try (Tensor one = Tensor.concat(0, src); Tensor x = Tensor.arange(12); Tensor x3 = x.reshape(2, 2, 3);
             Tensor mid = Tensor.concat(1, x3, x3)) {
            src.close();
            assertClose(new double[] {1, 2, 3}, new long[] {1, 3}, one, 0);
            assertClose(new double[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 6, 7, 8, 9, 10, 11},
                    new long[] {2, 4, 3}, mid, 0);
        }
    }
}

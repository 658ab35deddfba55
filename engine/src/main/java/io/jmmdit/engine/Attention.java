package io.jmmdit.engine;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Scaled dot-product attention softmax(Q·Kᵀ/√d + mask)·V over [batch, heads, tokens, headDim].
 *
 * <p>Computed head by head and in chunks of query rows through one reused score buffer of at most
 * {@link #MAX_SCORE_ELEMENTS} floats: the scale is folded into the Q·Kᵀ gemm, the mask is added and the softmax taken in
 * place, and P·V is written straight into the output. Fresh large buffers are expensive (first-touch page faults cost
 * more than the softmax itself), so nothing of size Lq·Lk is allocated per call beyond that one buffer.
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

    /** As {@link #scaledDotProduct(Tensor, Tensor, Tensor, Tensor)} with an explicit score-buffer bound (tests). */
    static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor mask, long maxScoreElements) {
        checkShapes(q, k, v);
        long b = q.size(0);
        long h = q.size(1);
        long lq = q.size(2);
        long lk = k.size(2);
        long dv = v.size(3);
        INDArray mask4 = mask == null ? null : mask4(mask, b, h, lq, lk);
        long rows = Math.max(1, Math.min(lq, maxScoreElements / Math.max(1, lk)));
        double scale = 1.0 / Math.sqrt(q.size(-1));
        INDArray q3 = Tensor.contiguous(q.a).reshape('c', b * h, lq, q.size(3));
        INDArray k3 = Tensor.contiguous(k.a).reshape('c', b * h, lk, k.size(3));
        INDArray v3 = Tensor.contiguous(v.a).reshape('c', b * h, lk, dv);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, b * h, lq, dv);
        INDArray scores = Nd4j.createUninitialized(DataType.FLOAT, rows, lk);
        try {
            for (long bh = 0; bh < b * h; bh++) {
                INDArray qh = q3.slice(bh);
                INDArray kh = k3.slice(bh);
                INDArray vh = v3.slice(bh);
                INDArray oh = out.slice(bh);
                for (long from = 0; from < lq; from += rows) {
                    long n = Math.min(rows, lq - from);
                    INDArray s = n == rows ? scores : scores.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
                    Nd4j.gemm(rowsOf(qh, from, n, lq), kh, s, false, true, scale, 0.0);
                    if (mask4 != null) {
                        addMask(s, mask4, bh / h, bh % h, from, n);
                    }
                    Softmax.lastDimInPlace(s);
                    Nd4j.gemm(s, vh, rowsOf(oh, from, n, lq), false, false, 1.0, 0.0);
                }
            }
        } finally {
            scores.close();
        }
        return new Tensor(out.reshape('c', b, h, lq, dv));
    }

    /** The attention probabilities softmax(Q·Kᵀ/√d + mask): [B, H, Lq, Lk]. */
    public static Tensor probabilities(Tensor q, Tensor k, Tensor mask) {
        Tensor scores = q.matmulTransposed(k);
        scores.a.muli(1.0 / Math.sqrt(q.size(-1)));
        if (mask != null) {
            scores.addInPlace(mask);
        }
        Softmax.lastDimInPlace(scores.a);
        return scores;
    }

    /** Rows [from, from + n) of a matrix (itself when that is all of it). */
    private static INDArray rowsOf(INDArray m, long from, long n, long total) {
        return n == total ? m : m.get(NDArrayIndex.interval(from, from + n), NDArrayIndex.all());
    }

    /** The mask as rank 4, checked to broadcast to [B, H, Lq, Lk]. */
    private static INDArray mask4(Tensor mask, long b, long h, long lq, long lk) {
        long[] target = {b, h, lq, lk};
        long[] s = mask.shape();
        boolean ok = s.length <= 4;
        for (int i = 0; ok && i < s.length; i++) {
            long t = target[4 - s.length + i];
            ok = s[i] == t || s[i] == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException("attention: mask " + mask.shapeString() + " does not broadcast to " + Arrays.toString(target));
        }
        long[] padded = new long[4];
        Arrays.fill(padded, 1);
        System.arraycopy(s, 0, padded, 4 - s.length, s.length);
        return Tensor.contiguous(mask.a).reshape('c', padded);
    }

    /** s += mask[b, h, from:from+n, :] (each index clamped to 0 along the mask's size-1 dimensions). */
    private static void addMask(INDArray s, INDArray mask4, long b, long h, long from, long n) {
        INDArrayIndex qIdx = mask4.size(2) == 1 ? NDArrayIndex.interval(0, 1) : NDArrayIndex.interval(from, from + n);
        INDArray m = mask4.get(NDArrayIndex.point(mask4.size(0) == 1 ? 0 : b), NDArrayIndex.point(mask4.size(1) == 1 ? 0 : h),
                qIdx, NDArrayIndex.all());
        Nd4j.exec(new AddOp(new INDArray[] {s, m}, new INDArray[] {s}));
    }

    private static void checkShapes(Tensor q, Tensor k, Tensor v) {
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4 || q.size(-1) != k.size(-1) || k.size(2) != v.size(2)
                || q.size(0) != k.size(0) || q.size(1) != k.size(1) || k.size(0) != v.size(0) || k.size(1) != v.size(1)) {
            throw new IllegalArgumentException("attention: q " + q.shapeString() + ", k " + k.shapeString() + ", v " + v.shapeString()
                    + " are not [B,H,L,D] with matching B, H, D and key length");
        }
    }
}

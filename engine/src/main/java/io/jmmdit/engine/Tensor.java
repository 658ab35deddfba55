package io.jmmdit.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A dense float32 tensor in row-major order: the engine's only array type. Every model sees this API; ND4J stays
 * behind it, so another backend can replace it without touching the models.
 *
 * <p>Operations return new tensors and never modify their inputs, unless the name ends in {@code InPlace}.
 * Broadcasting follows numpy rules. Off-heap memory is freed by {@link #close()} or when the GC collects the tensor;
 * close large temporaries explicitly.
 */
public final class Tensor implements AutoCloseable {

    final INDArray a;
    /** False for views over another tensor's or a mapped file's memory: closing them frees nothing. */
    private final boolean owner;

    Tensor(INDArray a) {
        this(a, true);
    }

    private Tensor(INDArray a, boolean owner) {
        this.a = a;
        this.owner = owner;
    }

    static Tensor wrap(INDArray a) {
        return new Tensor(a);
    }

    // ---- creation ---------------------------------------------------------------------------------------------

    /** A tensor holding a copy of {@code data} in the given shape. */
    public static Tensor of(float[] data, long... shape) {
        checkLength(data.length, shape);
        return new Tensor(Nd4j.create(data, shape.clone(), 'c'));
    }

    /** A tensor holding {@code data} (converted to float) in the given shape. */
    public static Tensor of(double[] data, long... shape) {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return of(f, shape);
    }

    /**
     * A tensor holding a copy of the little-endian float32 bytes {@code buf[position, position + 4·n)}. A direct buffer
     * (e.g. a memory-mapped file) is copied with one native memcpy, never wrapped: JavaCPP pointers do not keep the
     * buffer reachable, so a zero-copy wrap would dangle once a mapped buffer is garbage-collected.
     */
    public static Tensor ofFloat32Bytes(ByteBuffer buf, long... shape) {
        long n = checkLength(-1, shape);
        if (buf.remaining() < 4 * n) {
            throw new IllegalArgumentException("buffer holds " + buf.remaining() + " bytes, shape " + Arrays.toString(shape) + " needs " + 4 * n);
        }
        if (buf.isDirect() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            ByteBuffer slice = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape.clone(), 'c');
            if (n > 0) {
                Pointer.memcpy(out.data().addressPointer(), new BytePointer(slice), 4 * n);
            }
            java.lang.ref.Reference.reachabilityFence(slice);
            java.lang.ref.Reference.reachabilityFence(buf);
            return new Tensor(out);
        }
        float[] f = new float[Math.toIntExact(n)];
        buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return of(f, shape);
    }

    public static Tensor zeros(long... shape) {
        return new Tensor(Nd4j.zeros(DataType.FLOAT, shape.clone()));
    }

    public static Tensor ones(long... shape) {
        return new Tensor(Nd4j.ones(DataType.FLOAT, shape.clone()));
    }

    public static Tensor full(float value, long... shape) {
        return new Tensor(Nd4j.valueArrayOf(shape.clone(), value, DataType.FLOAT));
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value}, 1);
    }

    /** [0, 1, …, n−1] as a rank-1 tensor. */
    public static Tensor arange(long n) {
        float[] f = new float[Math.toIntExact(n)];
        for (int i = 0; i < f.length; i++) {
            f[i] = i;
        }
        return of(f, n);
    }

    // ---- shape ------------------------------------------------------------------------------------------------

    /** A copy of the shape (ND4J returns its internal array; callers such as Linear modify what they get). */
    public long[] shape() {
        return a.shape().clone();
    }

    public int rank() {
        return a.rank();
    }

    /** Size of dimension {@code d}; negative counts from the end. */
    public long size(int d) {
        return a.size(axis(d));
    }

    public long length() {
        return a.length();
    }

    public String shapeString() {
        return Arrays.toString(a.shape());
    }

    /** A view or copy in the new shape (one entry may be −1); closing a view leaves this tensor's memory alone. */
    public Tensor reshape(long... shape) {
        INDArray c = contiguous(a);
        INDArray r = c.reshape('c', shape);
        // ND4J wraps the shared memory in a new DataBuffer object, so compare addresses, not buffers
        return new Tensor(r, c != a || r.data().address() != a.data().address());
    }

    /** Dimensions reordered; the result is contiguous. */
    public Tensor permute(int... dims) {
        return new Tensor(a.permute(dims).dup('c'));
    }

    /** Swap the last two dimensions (contiguous result). */
    public Tensor transposeLast2() {
        int[] p = new int[rank()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        p[p.length - 1] = p.length - 2;
        p[p.length - 2] = p.length - 1;
        return permute(p);
    }

    /** Elements [from, to) along dimension {@code dim} (a contiguous copy). */
    public Tensor slice(int dim, long from, long to) {
        int d = axis(dim);
        INDArrayIndex[] idx = new INDArrayIndex[rank()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i == d ? NDArrayIndex.interval(from, to) : NDArrayIndex.all();
        }
        return new Tensor(a.get(idx).dup('c'));
    }

    /** Element {@code index} along dimension {@code dim}, keeping the dimension (size 1). */
    public Tensor select(int dim, long index) {
        return slice(dim, index, index + 1);
    }

    /** Split into {@code n} equal parts along {@code dim}. */
    public Tensor[] chunk(int n, int dim) {
        long s = size(dim);
        if (s % n != 0) {
            throw new IllegalArgumentException("cannot chunk size " + s + " of dim " + dim + " into " + n);
        }
        Tensor[] out = new Tensor[n];
        long c = s / n;
        for (int i = 0; i < n; i++) {
            out[i] = slice(dim, i * c, (i + 1) * c);
        }
        return out;
    }

    /** Concatenation along {@code dim}. */
    public static Tensor concat(int dim, Tensor... ts) {
        if (ts.length == 1) {
            return ts[0].copy();
        }
        INDArray[] arr = new INDArray[ts.length];
        for (int i = 0; i < ts.length; i++) {
            arr[i] = contiguous(ts[i].a);
        }
        int d = dim < 0 ? ts[0].rank() + dim : dim;
        return new Tensor(Nd4j.concat(d, arr));
    }

    /** Writes {@code src} into this tensor at [from, from + src.size(dim)) along {@code dim}. */
    public void assignSliceInPlace(int dim, long from, Tensor src) {
        int d = axis(dim);
        INDArrayIndex[] idx = new INDArrayIndex[rank()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i == d ? NDArrayIndex.interval(from, from + src.size(d)) : NDArrayIndex.all();
        }
        a.put(idx, src.a);
    }

    /** Copies {@code src} (same shape) into this tensor. */
    public void assignInPlace(Tensor src) {
        if (!Arrays.equals(shape(), src.shape())) {
            throw new IllegalArgumentException("assign: shape " + src.shapeString() + " into " + shapeString());
        }
        a.assign(src.a);
    }

    public Tensor copy() {
        return new Tensor(a.dup('c'));
    }

    // ---- element access ---------------------------------------------------------------------------------------

    public float[] toFloatArray() {
        if (a.isEmpty()) {
            return new float[0];
        }
        return a.dup('c').data().asFloat();
    }

    public float get(long... index) {
        return a.getFloat(index);
    }

    public float item() {
        if (length() != 1) {
            throw new IllegalStateException("item() on a tensor of shape " + shapeString());
        }
        return a.getFloat(0);
    }

    // ---- arithmetic (numpy broadcasting) -------------------------------------------------------------------------

    public Tensor add(Tensor o) {
        return broadcastOp(o, Op.ADD);
    }

    public Tensor sub(Tensor o) {
        return broadcastOp(o, Op.SUB);
    }

    public Tensor mul(Tensor o) {
        return broadcastOp(o, Op.MUL);
    }

    public Tensor div(Tensor o) {
        return broadcastOp(o, Op.DIV);
    }

    public Tensor add(float s) {
        return new Tensor(a.add(s));
    }

    public Tensor mul(float s) {
        return new Tensor(a.mul(s));
    }

    /** this += o (same shape or broadcastable into this shape), without a temporary. */
    public Tensor addInPlace(Tensor o) {
        if (Arrays.equals(shape(), o.shape())) {
            a.addi(o.a);
            return this;
        }
        if (o.rank() > rank() || !Arrays.equals(broadcastShape(a.shape(), padRank(o.a.shape(), rank())), a.shape())) {
            throw new IllegalArgumentException("addInPlace: shape " + o.shapeString() + " does not broadcast into " + shapeString());
        }
        Nd4j.exec(new AddOp(new INDArray[] {a, padRank(contiguous(o.a), rank())}, new INDArray[] {a}));
        return this;
    }

    /** this += s · o (same shape): the Euler update. */
    public Tensor axpyInPlace(float s, Tensor o) {
        if (!Arrays.equals(shape(), o.shape())) {
            throw new IllegalArgumentException("axpy: shape " + o.shapeString() + " vs " + shapeString());
        }
        Nd4j.getBlasWrapper().level1().axpy(a.length(), s, contiguous(o.a), a);
        return this;
    }

    public Tensor neg() {
        return new Tensor(a.neg());
    }

    public Tensor exp() {
        return new Tensor(Transforms.exp(a, true));
    }

    public Tensor log() {
        return new Tensor(Transforms.log(a, true));
    }

    public Tensor sqrt() {
        return new Tensor(Transforms.sqrt(a, true));
    }

    public Tensor tanh() {
        return new Tensor(Transforms.tanh(a, true));
    }

    public Tensor sigmoid() {
        return new Tensor(Transforms.sigmoid(a, true));
    }

    public Tensor square() {
        return new Tensor(a.mul(a));
    }

    public Tensor abs() {
        return new Tensor(Transforms.abs(a, true));
    }

    public Tensor clamp(float lo, float hi) {
        INDArray c = Transforms.max(a, lo, true);
        return new Tensor(Transforms.min(c, hi, false));
    }

    /** Mean over {@code dim}, keeping it with size 1. */
    public Tensor mean(int dim) {
        return new Tensor(a.mean(true, axis(dim)));
    }

    /** Sum over {@code dim}, keeping it with size 1. */
    public Tensor sum(int dim) {
        return new Tensor(a.sum(true, axis(dim)));
    }

    /** Max over {@code dim}, keeping it with size 1. */
    public Tensor max(int dim) {
        return new Tensor(a.max(true, axis(dim)));
    }

    public double sumAll() {
        return a.sumNumber().doubleValue();
    }

    public double maxAbs() {
        return a.amaxNumber().doubleValue();
    }

    /** Euclidean norm over all elements. */
    public double norm2() {
        return a.norm2Number().doubleValue();
    }

    // ---- linear algebra ---------------------------------------------------------------------------------------

    /**
     * Matrix product over the last two dimensions, batched over leading ones (equal leading shapes, or a rank-2
     * right operand shared by every batch).
     */
    public Tensor matmul(Tensor o) {
        return matmul(o, false);
    }

    /** this · oᵀ over the last two dimensions (the right operand transposed without a copy). */
    public Tensor matmulTransposed(Tensor o) {
        return matmul(o, true);
    }

    private Tensor matmul(Tensor o, boolean transposeB) {
        checkMatmul(o, transposeB);
        if (length() == 0 || o.length() == 0) {
            long[] out = shape();
            out[out.length - 1] = o.size(transposeB ? -2 : -1);
            return zeros(out);
        }
        INDArray x = contiguous(a);
        INDArray y = contiguous(o.a);
        if (o.rank() == 2 && rank() != 2) {
            long[] s = shape();
            long k = s[s.length - 1];
            INDArray x2 = x.reshape('c', x.length() / k, k);
            INDArray r = Nd4j.gemm(x2, y, false, transposeB);
            long[] out = s.clone();
            out[out.length - 1] = r.size(1);
            return new Tensor(r.reshape('c', out));
        }
        if (rank() == 2 && o.rank() == 2) {
            return new Tensor(Nd4j.gemm(x, y, false, transposeB));
        }
        // one gemm per matrix into a shared output: ND4J's batched matmul is 1.4× (3.7× with transposeB) slower
        long[] s = shape();
        long m = s[s.length - 2];
        long k = s[s.length - 1];
        long n = o.size(transposeB ? -2 : -1);
        long batch = 1;
        for (int i = 0; i < s.length - 2; i++) {
            batch *= s[i];
        }
        INDArray x3 = x.reshape('c', batch, m, k);
        INDArray y3 = y.reshape('c', batch, y.size(-2), y.size(-1));
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, batch, m, n);
        for (long i = 0; i < batch; i++) {
            Nd4j.gemm(x3.slice(i), y3.slice(i), out.slice(i), false, transposeB, 1.0, 0.0);
        }
        s[s.length - 1] = n;
        return new Tensor(out.reshape('c', s));
    }

    private void checkMatmul(Tensor o, boolean transposeB) {
        boolean ok = rank() >= 2 && o.rank() >= 2 && size(-1) == o.size(transposeB ? -1 : -2);
        if (ok && o.rank() != 2) {
            long[] x = a.shape();
            long[] y = o.a.shape();
            ok = x.length == y.length && Arrays.equals(Arrays.copyOf(x, x.length - 2), Arrays.copyOf(y, y.length - 2));
        }
        if (!ok) {
            throw new IllegalArgumentException("matmul: " + shapeString() + " · " + o.shapeString() + (transposeB ? "ᵀ" : "")
                    + " (needs equal leading dimensions or a rank-2 right operand, and matching inner sizes)");
        }
    }

    // ---- lifetime ---------------------------------------------------------------------------------------------

    /** Frees the off-heap buffer now (a view over another tensor's memory frees nothing). */
    @Override
    public void close() {
        if (!owner || a.wasClosed()) {
            return;
        }
        if (a.closeable()) {
            a.close();
            return;
        }
        // a reshape of a fresh result is a "view" ND4J will not close: free the buffer it covers entirely
        DataBuffer base = a.data().originalDataBuffer();
        if (base != null && base.closeable() && a.offset() == 0 && base.length() == a.length()) {
            base.close();
        }
    }

    /** Closes every non-null tensor. */
    public static void closeAll(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private enum Op { ADD, SUB, MUL, DIV }

    private Tensor broadcastOp(Tensor o, Op op) {
        INDArray x = a;
        INDArray y = o.a;
        if (Arrays.equals(x.shape(), y.shape())) {
            switch (op) {
                case ADD: return new Tensor(x.add(y));
                case SUB: return new Tensor(x.sub(y));
                case MUL: return new Tensor(x.mul(y));
                default: return new Tensor(x.div(y));
            }
        }
        int r = Math.max(x.rank(), y.rank());
        x = padRank(contiguous(x), r);
        y = padRank(contiguous(y), r);
        long[] out = broadcastShape(x.shape(), y.shape());
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, out);
        DynamicCustomOp dop;
        INDArray[] in = {x, y};
        INDArray[] res = {z};
        switch (op) {
            case ADD: dop = new AddOp(in, res); break;
            case SUB: dop = new SubOp(in, res); break;
            case MUL: dop = new MulOp(in, res); break;
            default: dop = new DivOp(in, res); break;
        }
        Nd4j.exec(dop);
        return new Tensor(z);
    }

    private static INDArray padRank(INDArray x, int r) {
        return x.rank() == r ? x : x.reshape('c', padRank(x.shape(), r));
    }

    /** The shape with leading 1s up to rank {@code r}. */
    private static long[] padRank(long[] shape, int r) {
        long[] s = new long[r];
        Arrays.fill(s, 1);
        System.arraycopy(shape, 0, s, r - shape.length, shape.length);
        return s;
    }

    static long[] broadcastShape(long[] x, long[] y) {
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i] || y[i] == 1) {
                out[i] = x[i];
            } else if (x[i] == 1) {
                out[i] = y[i];
            } else {
                throw new IllegalArgumentException("shapes " + Arrays.toString(x) + " and " + Arrays.toString(y) + " do not broadcast");
            }
        }
        return out;
    }

    /**
     * x itself if it is dense row-major from its first element, else a copy. Not {@code isView()}: ND4J flags every
     * reshape as a view, and most op results are reshapes, so that test copied the input of nearly every op.
     */
    static INDArray contiguous(INDArray x) {
        return x.ordering() == 'c' && x.elementWiseStride() == 1 && x.offset() == 0 ? x : x.dup('c');
    }

    private int axis(int d) {
        return d < 0 ? rank() + d : d;
    }

    private static long checkLength(long n, long[] shape) {
        long p = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            p *= s;
        }
        if (n >= 0 && p != n) {
            throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        }
        return p;
    }
}

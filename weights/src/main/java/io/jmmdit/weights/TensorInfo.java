package io.jmmdit.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header: name, element type, shape and byte range {@code [begin, end)} relative to
 * the data section of the file that holds it. Instances from a reader are validated: the range fits the data section and
 * {@code end - begin == dtype.bytes × elements()}.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for a scalar); saturates at {@link Long#MAX_VALUE} (a reader never returns such an entry). */
    public long elements() {
        long n = 1;
        for (long s : shape) {
            long m = n * s;
            if (s != 0 && (m / s != n || m < 0)) {
                return Long.MAX_VALUE;
            }
            n = m;
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    /** The same entry under another name (for renaming views). */
    public TensorInfo withName(String newName) {
        return new TensorInfo(newName, dtype, shape, begin, end);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}

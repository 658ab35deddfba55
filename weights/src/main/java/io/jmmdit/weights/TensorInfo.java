package io.jmmdit.weights;

/** One tensor's entry in a safetensors header: byte range relative to the data section. */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public long elements() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}

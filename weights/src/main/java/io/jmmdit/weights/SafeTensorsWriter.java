package io.jmmdit.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.jmmdit.engine.Tensor;

/**
 * Writes safetensors files in the canonical layout: 8-byte little-endian header length, a compact JSON header with keys
 * sorted (code-unit order, {@code __metadata__} among them), padded with spaces to a multiple of 8 bytes, then every
 * tensor's little-endian data, contiguous, in name order, with no gaps and no trailing bytes.
 *
 * <p>The file is written <b>atomically</b>: to a temporary file in the target's directory, forced to disk, then renamed over
 * the target with {@link StandardCopyOption#ATOMIC_MOVE}; on failure the temporary file is deleted and the target is
 * untouched. Overwriting a file that is open for reading is therefore safe on POSIX systems (mappings, including no-copy
 * F32 tensors, keep seeing the old contents), but it is never needed: write results to a new path rather than over a
 * checkpoint being read. Use {@link #write(Path, Map, Map, Path...)} to have the writer refuse such paths.
 */
public final class SafeTensorsWriter {

    private SafeTensorsWriter() {
    }

    /** One tensor's raw little-endian data with its declared type and shape. */
    public record Raw(DType dtype, long[] shape, ByteBuffer data) {

        public Raw {
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
            data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
        }

        public static Raw of(DType dtype, long[] shape, byte[] data) {
            return new Raw(dtype, shape, ByteBuffer.wrap(data));
        }

        /** {@code values} encoded as {@code dtype} by {@link Dtypes#fromFloat}. */
        public static Raw encode(DType dtype, long[] shape, float[] values) {
            return of(dtype, shape, Dtypes.fromFloat(values, dtype));
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /** Writes float32 tensors. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        write(path, tensors, metadata, DType.F32);
    }

    /** Writes float32 tensors after checking that {@code path} is none of {@code inputs} (compared as real paths). */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, Path... inputs) {
        write(path, tensors, metadata, DType.F32, List.of(inputs));
    }

    /** Writes the tensors encoded as {@code dtype} ({@link Dtypes#fromFloat}: round to nearest even for float types). */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, DType dtype) {
        write(path, tensors, metadata, dtype, List.of());
    }

    private static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, DType dtype, Collection<Path> inputs) {
        Map<String, Raw> raw = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "tensor '" + e.getKey() + "' is null");
            byte[] data;
            try {
                data = Dtypes.fromFloat(t.toFloatArray(), dtype);
            } catch (IllegalArgumentException ex) {
                throw new WeightsException(path + ": tensor '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
            raw.put(e.getKey(), Raw.of(dtype, t.shape(), data));
        }
        writeRaw(path, raw, metadata, inputs);
    }

    /** Writes raw typed data (any dtype, bytes as given): for tests and for copying tensors without conversion. */
    public static void writeRaw(Path path, Map<String, Raw> tensors, Map<String, String> metadata) {
        writeRaw(path, tensors, metadata, List.of());
    }

    private static void writeRaw(Path path, Map<String, Raw> tensors, Map<String, String> metadata, Collection<Path> inputs) {
        TreeMap<String, Raw> sorted = new TreeMap<>();
        for (Map.Entry<String, Raw> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            if (name.equals("__metadata__")) {
                throw new WeightsException(path + ": '__metadata__' cannot be a tensor name");
            }
            Raw r = Objects.requireNonNull(e.getValue(), () -> "tensor '" + name + "' is null");
            long elements = 1;
            for (long s : r.shape) {
                if (s < 0) {
                    throw new WeightsException(path + ": tensor '" + name + "': negative dimension in " + Arrays.toString(r.shape));
                }
                elements = Math.multiplyExact(elements, s);
            }
            if (r.data.remaining() != Math.multiplyExact(elements, r.dtype.bytes)) {
                throw new WeightsException(path + ": tensor '" + name + "': " + r.data.remaining() + " bytes, but " + r.dtype + " "
                        + Arrays.toString(r.shape) + " needs " + elements * r.dtype.bytes);
            }
            sorted.put(name, r);
        }
        TreeMap<String, Object> header = new TreeMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            TreeMap<String, String> m = new TreeMap<>();
            metadata.forEach((k, v) -> m.put(Objects.requireNonNull(k, "metadata key"),
                    Objects.requireNonNull(v, () -> "metadata value of '" + k + "'")));
            header.put("__metadata__", m);
        }
        long offset = 0;
        for (Map.Entry<String, Raw> e : sorted.entrySet()) {
            Raw r = e.getValue();
            long end = offset + r.data.remaining();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", r.dtype.name());
            entry.put("shape", r.shape);
            entry.put("data_offsets", List.of(offset, end));
            header.put(e.getKey(), entry);
            offset = end;
        }
        byte[] json;
        try {
            json = SafeTensorsFile.JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new WeightsException(path + ": cannot encode header (" + e.getOriginalMessage() + ")", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        writeAtomically(path, head, sorted.values(), inputs);
    }

    private static void writeAtomically(Path path, ByteBuffer head, Iterable<Raw> data, Collection<Path> inputs) {
        try {
            AtomicFiles.write(path, inputs, ch -> {
                writeFully(ch, head);
                for (Raw r : data) {
                    writeFully(ch, r.data.duplicate());
                }
            });
        } catch (IOException e) {
            throw new WeightsException(e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}

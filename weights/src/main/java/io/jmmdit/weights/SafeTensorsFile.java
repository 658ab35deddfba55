package io.jmmdit.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.engine.Tensor;

/**
 * A memory-mapped safetensors file: 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}, "__metadata__": {…}}}, then the raw little-endian data.
 */
public final class SafeTensorsFile implements WeightSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafeTensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new WeightsException(path + ": cannot open (" + e.getMessage() + ")", e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new WeightsException(path + ": truncated, " + size + " bytes is shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > size - 8 || headerLen > 100_000_000L) {
                throw new WeightsException(path + ": header length " + headerLen + " does not fit in a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8, path);
            JsonNode root;
            try {
                root = JSON.readTree(hb.array());
            } catch (IOException e) {
                throw new WeightsException(path + ": header is not valid JSON (" + e.getMessage().split("\n")[0] + ")", e);
            }
            if (root == null || !root.isObject()) {
                throw new WeightsException(path + ": header is not a JSON object");
            }
            long dataLen = size - 8 - headerLen;
            Map<String, TensorInfo> infos = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    if (!e.getValue().isObject()) {
                        throw new WeightsException(path + ": __metadata__ is not an object");
                    }
                    e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                infos.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataLen));
            }
            return new SafeTensorsFile(path, ch, 8 + headerLen, Collections.unmodifiableMap(infos), Collections.unmodifiableMap(meta));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new WeightsException(path + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode n, long dataLen) {
        String where = path + ": tensor '" + name + "'";
        if (!n.isObject()) {
            throw new WeightsException(where + ": entry is not an object");
        }
        JsonNode dt = n.get("dtype");
        DType dtype = dt == null || !dt.isTextual() ? null : DType.parse(dt.asText());
        if (dtype == null) {
            throw new WeightsException(where + ": unknown dtype " + dt);
        }
        JsonNode sh = n.get("shape");
        if (sh == null || !sh.isArray()) {
            throw new WeightsException(where + ": missing shape");
        }
        long[] shape = new long[sh.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode s = sh.get(i);
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                throw new WeightsException(where + ": bad shape " + sh);
            }
            shape[i] = s.asLong();
            elements = Math.multiplyExact(elements, shape[i]);
        }
        JsonNode off = n.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()) {
            throw new WeightsException(where + ": data_offsets must be [begin, end]");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new WeightsException(where + ": data_offsets [" + begin + ", " + end + "] outside the " + dataLen + "-byte data section");
        }
        if (end - begin != elements * dtype.bytes) {
            throw new WeightsException(where + ": " + (end - begin) + " bytes, but " + dtype + " " + java.util.Arrays.toString(shape) + " needs " + elements * dtype.bytes);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo i = tensors.get(name);
        if (i == null) {
            throw new WeightsException(path + ": no tensor '" + name + "'");
        }
        return i;
    }

    /** The tensor's raw bytes, memory-mapped (little-endian). */
    public ByteBuffer bytes(String name) {
        TensorInfo i = info(name);
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + i.begin(), i.end() - i.begin()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new WeightsException(path + ": tensor '" + name + "': cannot map (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Tensor tensor(String name) {
        TensorInfo i = info(name);
        ByteBuffer b = bytes(name);
        if (i.dtype() == DType.F32) {
            return Tensor.ofFloat32Bytes(b, i.shape());
        }
        return Tensor.of(Dtypes.toFloat(b, i.dtype(), Math.toIntExact(i.elements())), i.shape());
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path path) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new WeightsException(path + ": truncated header");
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do: the file was only read
        }
    }
}

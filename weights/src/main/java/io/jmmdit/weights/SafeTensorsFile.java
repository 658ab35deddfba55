package io.jmmdit.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.jmmdit.engine.Tensor;

/**
 * A safetensors file: 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}}, then the raw
 * little-endian data; offsets are relative to the start of the data section.
 *
 * <p><b>Validation.</b> {@link #open} reads and checks the whole header and nothing else; any malformation (truncated file,
 * header length past the end or over 100 MB, invalid UTF-8 or JSON, duplicate keys, an entry that is not an object, unknown
 * dtype, bad or overflowing shape, offsets outside the data section, byte length ≠ dtype size × elements, two tensors whose
 * byte ranges overlap, non-string metadata) raises a {@link WeightsException} naming the file and, where relevant, the
 * tensor. <b>Gaps</b> between tensors and trailing bytes after the last one are accepted (the reference Rust reader rejects
 * them; no data is aliased by them, so we only report them through {@link #unusedBytes()}). Zero-length tensors may sit
 * at any offset inside the data section.
 *
 * <p><b>Memory.</b> Each tensor is memory-mapped on its own when asked for, never the whole file, so files of any size work.
 * A mapping holds at most 2 GiB − 1 bytes: {@link #bytes(String)} and {@link #tensor(String)} on a larger tensor throw a
 * {@link WeightsException} pointing to {@link #bytes(String, long, int)}, which maps any chunk. F32 tensors are returned
 * without a copy over the mapping (it stays valid after {@link #close()}); other types are converted by {@link Dtypes}.
 *
 * <p>Instances are immutable and thread-safe. Replacing the file atomically (as {@link SafeTensorsWriter} does) while it is
 * open is safe on POSIX systems: existing mappings keep the old contents. Truncating it in place is not, and is detected
 * only at the next {@link #bytes} call.
 */
public final class SafeTensorsFile implements WeightSource {

    /** Largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Largest single mapping. */
    public static final long MAX_MAPPING_BYTES = Integer.MAX_VALUE;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final long dataLength;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final long unusedBytes;

    private SafeTensorsFile(Path path, FileChannel channel, long dataStart, long dataLength, Map<String, TensorInfo> tensors,
            Map<String, String> metadata, long unusedBytes) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.dataLength = dataLength;
        this.tensors = tensors;
        this.metadata = metadata;
        this.unusedBytes = unusedBytes;
    }

    /** Opens and validates {@code path}; the caller closes it. */
    public static SafeTensorsFile open(Path path) {
        if (Files.isDirectory(path)) {
            throw new WeightsException(path + ": is a directory, not a safetensors file (Checkpoints.open reads folders)");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new WeightsException(path + ": no such file", e);
        } catch (IOException | SecurityException e) {
            throw new WeightsException(path + ": cannot open (" + e + ")", e);
        }
        try {
            return parse(path, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new WeightsException(path + ": cannot read (" + e + ")", e);
        } catch (RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafeTensorsFile parse(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new WeightsException(path + ": truncated: " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, path);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 2 || headerLen > size - 8) {
            throw new WeightsException(path + ": header length " + Long.toUnsignedString(headerLen) + " does not fit in a file of "
                    + size + " bytes (truncated or not a safetensors file)");
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new WeightsException(path + ": header length " + headerLen + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, 8, path);
        hb.flip();
        String text;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb);
            text = cb.toString();
        } catch (CharacterCodingException e) {
            throw new WeightsException(path + ": header is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field")) {
                throw new WeightsException(path + ": header has a duplicate name: " + msg, e);
            }
            throw new WeightsException(path + ": header is not valid JSON (" + firstLine(msg) + ")", e);
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
                parseMetadata(path, e.getValue(), meta);
            } else {
                infos.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataLen));
            }
        }
        long unused = checkOverlaps(path, infos.values(), dataLen);
        return new SafeTensorsFile(path, ch, 8 + headerLen, dataLen, Collections.unmodifiableMap(infos),
                Collections.unmodifiableMap(meta), unused);
    }

    private static void parseMetadata(Path path, JsonNode n, Map<String, String> meta) {
        if (!n.isObject()) {
            throw new WeightsException(path + ": __metadata__ is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new WeightsException(path + ": __metadata__ value of '" + m.getKey() + "' is not a string");
            }
            meta.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode n, long dataLen) {
        String where = path + ": tensor '" + name + "'";
        if (!n.isObject()) {
            throw new WeightsException(where + ": entry is not an object");
        }
        JsonNode dt = n.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new WeightsException(where + ": missing dtype");
        }
        DType dtype = DType.parse(dt.textValue());
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
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.longValue() < 0) {
                throw new WeightsException(where + ": bad shape " + abbreviate(sh));
            }
            shape[i] = s.longValue();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException ex) {
                throw new WeightsException(where + ": shape " + abbreviate(sh) + " overflows", ex);
            }
        }
        JsonNode off = n.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()
                || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw new WeightsException(where + ": data_offsets must be [begin, end], got " + abbreviate(off));
        }
        long begin = off.get(0).longValue();
        long end = off.get(1).longValue();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new WeightsException(where + ": data_offsets [" + begin + ", " + end + "] outside the " + dataLen
                    + "-byte data section (truncated file?)");
        }
        long needed;
        try {
            needed = Math.multiplyExact(elements, dtype.bytes);
        } catch (ArithmeticException ex) {
            throw new WeightsException(where + ": shape " + abbreviate(sh) + " overflows", ex);
        }
        if (end - begin != needed) {
            throw new WeightsException(where + ": " + (end - begin) + " bytes, but " + dtype + " " + abbreviate(sh) + " needs " + needed);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** Rejects overlapping byte ranges; returns the number of data bytes no tensor covers (gaps + trailing bytes). */
    private static long checkOverlaps(Path path, java.util.Collection<TensorInfo> infos, long dataLen) {
        List<TensorInfo> sorted = new ArrayList<>();
        long used = 0;
        for (TensorInfo t : infos) {
            if (t.end() > t.begin()) {
                sorted.add(t);
                used += t.end() - t.begin();
            }
        }
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo b = sorted.get(i);
            if (b.begin() < a.end()) {
                throw new WeightsException(path + ": tensor '" + b.name() + "' bytes [" + b.begin() + ", " + b.end()
                        + ") overlap tensor '" + a.name() + "' [" + a.begin() + ", " + a.end() + ")");
            }
        }
        return dataLen - used;
    }

    public Path path() {
        return path;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Bytes of the data section covered by no tensor: gaps between tensors and trailing bytes (0 in a well-formed file). */
    public long unusedBytes() {
        return unusedBytes;
    }

    /** Size of the data section in bytes. */
    public long dataLength() {
        return dataLength;
    }

    /** File offset of the data section (8 + header length). */
    public long dataStart() {
        return dataStart;
    }

    /** Names in header order. */
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

    /** Every entry in header order. */
    public List<TensorInfo> infos() {
        return List.copyOf(tensors.values());
    }

    /**
     * The tensor's raw little-endian bytes, memory-mapped read-only (position 0, limit = byte length).
     *
     * @throws WeightsException if the tensor is over {@link #MAX_MAPPING_BYTES}; use {@link #bytes(String, long, int)}
     */
    public ByteBuffer bytes(String name) {
        TensorInfo i = info(name);
        if (i.byteLength() > MAX_MAPPING_BYTES) {
            throw new WeightsException(path + ": tensor '" + name + "' is " + i.byteLength()
                    + " bytes, more than one mapping can hold (2 GiB - 1); read it in chunks with bytes(name, offset, length)");
        }
        return map(i, 0, (int) i.byteLength());
    }

    /** Bytes {@code [offset, offset + length)} of the tensor's data, memory-mapped read-only: for tensors over 2 GiB. */
    public ByteBuffer bytes(String name, long offset, int length) {
        TensorInfo i = info(name);
        if (offset < 0 || length < 0 || offset > i.byteLength() - length) {
            throw new WeightsException(path + ": tensor '" + name + "': chunk [" + offset + ", +" + length + ") outside its "
                    + i.byteLength() + " bytes");
        }
        return map(i, offset, length);
    }

    private ByteBuffer map(TensorInfo i, long offset, int length) {
        String where = path + ": tensor '" + i.name() + "'";
        try {
            long from = dataStart + i.begin() + offset;
            if (channel.size() < dataStart + i.end()) {
                throw new WeightsException(where + ": file shrank to " + channel.size() + " bytes since it was opened");
            }
            if (length == 0) {
                return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, from, length).order(ByteOrder.LITTLE_ENDIAN);
        } catch (ClosedChannelException e) {
            throw new WeightsException(where + ": file is closed", e);
        } catch (IOException e) {
            throw new WeightsException(where + ": cannot map (" + e + ")", e);
        }
    }

    /** The tensor as float32: F32 without a copy over the mapping, other dtypes converted by {@link Dtypes#toFloat}. */
    @Override
    public Tensor tensor(String name) {
        TensorInfo i = info(name);
        if (i.elements() > Integer.MAX_VALUE - 8 || i.byteLength() > MAX_MAPPING_BYTES) {
            throw new WeightsException(path + ": tensor '" + name + "' " + i.dtype() + " " + i.shapeString()
                    + " is too large for one float32 tensor; read it in chunks with bytes(name, offset, length)");
        }
        ByteBuffer b = bytes(name);
        try {
            if (i.dtype() == DType.F32) {
                return Tensor.ofFloat32Bytes(b, i.shape());
            }
            return Tensor.of(Dtypes.toFloat(b, i.dtype(), (int) i.elements()), i.shape());
        } catch (RuntimeException e) {
            // the engine rejects some shapes (e.g. rank over its limit)
            throw new WeightsException(path + ": tensor '" + name + "' " + i.dtype() + " " + i.shapeString()
                    + ": cannot create a tensor (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path path) throws IOException {
        long start = pos - b.position();
        while (b.hasRemaining()) {
            int n = ch.read(b, start + b.position());
            if (n < 0) {
                throw new WeightsException(path + ": truncated header");
            }
        }
    }

    private static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do: the file was only read
        }
    }
}

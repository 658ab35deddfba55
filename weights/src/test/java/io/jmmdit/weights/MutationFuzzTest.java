package io.jmmdit.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random mutations of valid files (bit flips, truncations, length-field edits, JSON header edits, appended bytes): each
 * must either open and read every tensor correctly or raise {@link WeightsException} — never another exception, and
 * within a time bound. Every case is reproducible from its seed.
 */
class MutationFuzzTest {

    static final int TRIES = 10_000;
    static final String[] KINDS = {"flip", "truncate", "length", "header-edit", "append", "two"};

    static final List<byte[]> CORPUS = new ArrayList<>();
    static Path dir;
    static ExecutorService exec;
    static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    @BeforeContainer
    static void corpus() throws IOException {
        dir = Files.createTempDirectory("st-fuzz");
        exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        });
        try (InputStream in = MutationFuzzTest.class.getResourceAsStream("/golden/case-512-masked.safetensors")) {
            CORPUS.add(in.readAllBytes());
        }
        Map<String, SafeTensorsWriter.Raw> all = new LinkedHashMap<>();
        Random r = new Random(7);
        for (DType d : DType.values()) {
            byte[] data = new byte[3 * 2 * d.bytes];
            r.nextBytes(data);
            all.put("w." + d.name().toLowerCase(), SafeTensorsWriter.Raw.of(d, new long[] {3, 2}, data));
        }
        all.put("scalar", SafeTensorsWriter.Raw.of(DType.F32, new long[0], new byte[4]));
        all.put("empty", SafeTensorsWriter.Raw.of(DType.BF16, new long[] {0, 4}, new byte[0]));
        Path p = dir.resolve("all.safetensors");
        SafeTensorsWriter.writeRaw(p, all, Map.of("format", "pt", "note", "every dtype"));
        CORPUS.add(Files.readAllBytes(p));
        Map<String, SafeTensorsWriter.Raw> one = Map.of("x", SafeTensorsWriter.Raw.encode(DType.F32, new long[] {2, 2}, new float[] {1, 2, 3, 4}));
        SafeTensorsWriter.writeRaw(p, one, Map.of());
        CORPUS.add(Files.readAllBytes(p));
        Files.delete(p);
    }

    @AfterContainer
    static void cleanup() throws IOException {
        exec.shutdownNow();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF)
    void mutatedFilesReadOrFailCleanly(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        byte[] base = CORPUS.get(r.nextInt(CORPUS.size()));
        int kind = r.nextInt(KINDS.length);
        byte[] bytes = kind == 5 ? mutate(mutate(base, r.nextInt(5), r), r.nextInt(5), r) : mutate(base, kind, r);
        // a fresh file per case: truncating one file that thousands of not yet collected mappings still cover is slow
        Path p = dir.resolve("m" + COUNTER.incrementAndGet() + ".safetensors");
        Files.write(p, bytes);
        Future<String> result = exec.submit(() -> readEverything(p));
        String outcome;
        try {
            outcome = result.get(10, TimeUnit.SECONDS);
            Files.delete(p);
        } catch (TimeoutException e) {
            result.cancel(true);
            fail("seed " + seed + " (" + KINDS[kind] + "): no answer within 10 s");
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            AssertionError err = new AssertionError("seed " + seed + " (" + KINDS[kind] + "): " + c, c);
            throw err;
        }
        Statistics.label("mutation").collect(KINDS[kind]);
        Statistics.label("outcome").collect(outcome);
    }

    /** "read" if every tensor reads, "WeightsException" if the file is rejected; any other throwable propagates. */
    static String readEverything(Path p) {
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            for (String n : f.names()) {
                TensorInfo i = f.info(n);
                ByteBuffer raw = f.bytes(n);
                assertEquals(i.byteLength(), raw.remaining());
                var t = f.tensor(n);
                assertEquals(i.elements(), t.length());
                if (i.elements() > 0) {
                    float[] v = t.toFloatArray();
                    float[] direct = Dtypes.toFloat(raw, i.dtype(), (int) i.elements());
                    for (int k = 0; k < v.length; k++) {
                        if (Float.floatToRawIntBits(v[k]) != Float.floatToRawIntBits(direct[k]) && !(Float.isNaN(v[k]) && Float.isNaN(direct[k]))) {
                            throw new AssertionError(n + "[" + k + "] reads " + v[k] + " but its bytes decode to " + direct[k]);
                        }
                    }
                }
            }
            return "read";
        } catch (WeightsException e) {
            if (!e.getMessage().contains(p.toString())) {
                throw new AssertionError("message does not name the file: " + e.getMessage(), e);
            }
            return "WeightsException";
        }
    }

    static byte[] mutate(byte[] in, int kind, Random r) {
        byte[] b = in.clone();
        long headerLen = b.length >= 8 ? ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0) : 0;
        switch (kind) {
            case 0 -> { // flips, mostly in the length field and header
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n && b.length > 0; i++) {
                    int limit = r.nextBoolean() && headerLen > 0 && headerLen <= b.length - 8 ? (int) headerLen + 8 : b.length;
                    int pos = r.nextInt(limit);
                    if (r.nextBoolean()) {
                        b[pos] ^= (byte) (1 << r.nextInt(8));
                    } else {
                        b[pos] = (byte) r.nextInt(256);
                    }
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            }
            case 2 -> {
                long[] choices = {r.nextLong(), headerLen + r.nextInt(17) - 8, 0, 1, 2, b.length, b.length - 8, b.length - 7,
                        Long.MAX_VALUE, Long.MIN_VALUE, -1, headerLen * 2, 100_000_001L, 1L << 32 | headerLen};
                if (b.length >= 8) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, choices[r.nextInt(choices.length)]);
                }
                return b;
            }
            case 3 -> {
                return editHeader(b, headerLen, r);
            }
            default -> {
                byte[] extra = new byte[1 + r.nextInt(32)];
                r.nextBytes(extra);
                byte[] out = Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, out, b.length, extra.length);
                return out;
            }
        }
    }

    static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "0", "-1", "1e3", "9223372036854775807", "18446744073709551616",
            "null", "true", "\"F32\"", "\"BF16\"", "\"F8_E4M3\"", "\"U4\"", "[0,0]", "{}", "[]", "\"__metadata__\"", "1.5", "\\u0000"};
    static final String[] DTYPES = {"F64", "F32", "F16", "BF16", "F8_E4M3", "F8_E5M2", "I64", "I32", "I16", "I8", "U64", "U32", "U16",
            "U8", "BOOL", "f32", "F8_E4M3FN", "C64", ""};

    /** A textual edit of the JSON header; the length field is then fixed up (or not) so the JSON itself is exercised. */
    static byte[] editHeader(byte[] b, long headerLen, Random r) {
        if (headerLen < 2 || headerLen > b.length - 8) {
            return b;
        }
        String h = new String(b, 8, (int) headerLen, StandardCharsets.UTF_8);
        StringBuilder s = new StringBuilder(h);
        int pos = r.nextInt(s.length());
        switch (r.nextInt(7)) {
            case 0 -> s.deleteCharAt(pos);
            case 1 -> s.insert(pos, TOKENS[r.nextInt(TOKENS.length)]);
            case 2 -> { // change a number
                List<int[]> nums = numbers(h);
                if (!nums.isEmpty()) {
                    int[] n = nums.get(r.nextInt(nums.size()));
                    String[] repl = {"0", String.valueOf(r.nextInt(400)), "-8", "4294967296", "99999999999999999999", "2.0",
                            String.valueOf(Long.parseLong(h.substring(n[0], n[1])) + r.nextInt(9) - 4)};
                    s.replace(n[0], n[1], repl[r.nextInt(repl.length)]);
                }
            }
            case 3 -> { // change a dtype
                int i = h.indexOf("\"dtype\":\"", r.nextInt(h.length()));
                if (i >= 0) {
                    int start = i + 9;
                    int end = h.indexOf('"', start);
                    s.replace(start, end, DTYPES[r.nextInt(DTYPES.length)]);
                }
            }
            case 4 -> { // duplicate an entry
                int i = h.indexOf("},\"", r.nextInt(h.length()));
                int j = i < 0 ? -1 : h.indexOf("},\"", i + 3);
                if (j > 0) {
                    s.insert(j + 1, "," + h.substring(i + 2, j + 1));
                }
            }
            case 5 -> { // swap two data_offsets arrays
                List<int[]> offs = new ArrayList<>();
                for (int i = h.indexOf("\"data_offsets\":["); i >= 0; i = h.indexOf("\"data_offsets\":[", i + 1)) {
                    offs.add(new int[] {i + 16, h.indexOf(']', i)});
                }
                if (offs.size() >= 2) {
                    int[] x = offs.get(r.nextInt(offs.size()));
                    int[] y = offs.get(r.nextInt(offs.size()));
                    if (x[0] < y[0]) {
                        String xs = h.substring(x[0], x[1]);
                        String ys = h.substring(y[0], y[1]);
                        s.replace(y[0], y[1], xs).replace(x[0], x[1], ys);
                    }
                }
            }
            default -> s.setCharAt(pos, (char) (r.nextInt(96) + 32));
        }
        byte[] nh = s.toString().getBytes(StandardCharsets.UTF_8);
        long declared = r.nextInt(4) == 0 ? headerLen : nh.length;
        int dataStart = 8 + (int) headerLen;
        ByteBuffer out = ByteBuffer.allocate(8 + nh.length + b.length - dataStart).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(declared).put(nh).put(b, dataStart, b.length - dataStart);
        return out.array();
    }

    static List<int[]> numbers(String h) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < h.length(); i++) {
            if (Character.isDigit(h.charAt(i)) && (i == 0 || !Character.isLetterOrDigit(h.charAt(i - 1)) && h.charAt(i - 1) != '.'
                    && h.charAt(i - 1) != '_')) {
                int j = i;
                while (j < h.length() && Character.isDigit(h.charAt(j))) {
                    j++;
                }
                if (j - i < 18 && (j == h.length() || h.charAt(j) == ',' || h.charAt(j) == ']')) {
                    out.add(new int[] {i, j});
                }
                i = j;
            }
        }
        return out;
    }
}

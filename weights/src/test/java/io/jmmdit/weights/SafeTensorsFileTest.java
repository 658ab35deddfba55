package io.jmmdit.weights;

import static io.jmmdit.weights.TestFiles.entry;
import static io.jmmdit.weights.TestFiles.st;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.engine.Tensor;

class SafeTensorsFileTest {

    @TempDir
    Path dir;

    private WeightsException fails(String header, byte[] data) {
        return fails(st(header, data));
    }

    private WeightsException fails(byte[] content) {
        Path p = TestFiles.write(dir, "bad.safetensors", content);
        WeightsException e = assertThrows(WeightsException.class, () -> {
            try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
                f.names().forEach(n -> f.tensor(n).toFloatArray());
            }
        });
        assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
        return e;
    }

    private static void assertMentions(WeightsException e, String... parts) {
        for (String s : parts) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
    }

    static Path resource(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = SafeTensorsFileTest.class.getResourceAsStream("/golden/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void goldenBf16CheckpointReadsWithExpectedShapesAndValues() throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(resource(dir, "flux1-original.bf16.safetensors"))) {
            assertEquals(92, f.names().size());
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(0, f.unusedBytes());
            long params = 0;
            for (TensorInfo i : f.infos()) {
                assertEquals(DType.BF16, i.dtype());
                params += i.elements();
            }
            assertEquals(150784, params);
            assertArrayEquals(new long[] {32, 64}, f.info("img_in.weight").shape());
            assertArrayEquals(new long[] {16}, f.info("double_blocks.0.img_attn.norm.key_norm.scale").shape());
            float[] w = f.tensor("img_in.weight").toFloatArray();
            assertEquals(0.1845703125f, w[0]);
            assertEquals(-0.2255859375f, w[1]);
            double sum = 0;
            for (float v : w) {
                sum += v;
            }
            assertEquals(-7.108949661254883, sum, 1e-9);
            float[] s = f.tensor("double_blocks.0.img_attn.norm.key_norm.scale").toFloatArray();
            assertEquals(0.921875f, s[0]);
            assertEquals(0.96875f, s[1]);
        }
    }

    @Test
    void goldenF64AndI64File() throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(resource(dir, "case-512-masked.safetensors"))) {
            assertEquals(8, f.names().size());
            assertEquals("000000000001", f.metadata().get("pair"));
            assertEquals(DType.I64, f.info("unedit.tap_hw").dtype());
            assertArrayEquals(new float[] {255, 127, 63, 31, 31, 31, 31}, f.tensor("unedit.tap_hw").toFloatArray());
            assertEquals(DType.F64, f.info("whole.lpips").dtype());
            assertEquals((float) 0.02363952181620142, f.tensor("whole.lpips").toFloatArray()[0]);
            assertEquals(0.02363952181620142, f.bytes("whole.lpips").getDouble(0));
        }
    }

    @Test
    void f32IsReadWithoutCopyAndScalarsAndEmptyTensorsWork() {
        byte[] data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(7f).array();
        String h = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("s", "F32", "[]", 8, 12) + "," + entry("z", "F32", "[0,3]", 12, 12)
                + "," + entry("e", "BF16", "[0]", 0, 0) + "}";
        try (SafeTensorsFile f = SafeTensorsFile.open(TestFiles.write(dir, "ok.safetensors", st(h, data)))) {
            assertArrayEquals(new float[] {1.5f, -2f}, f.tensor("a").toFloatArray());
            Tensor s = f.tensor("s");
            assertEquals(7f, s.toFloatArray()[0]);
            assertEquals(1, f.info("s").elements());
            // (Tensor.toFloatArray() on an empty ND4J array fails inside the engine: only shapes are checked here)
            assertArrayEquals(new long[] {0, 3}, f.tensor("z").shape());
            assertEquals(0, f.tensor("e").length());
        }
    }

    @Test
    void truncatedFiles() {
        assertMentions(fails(new byte[0]), "truncated");
        assertMentions(fails(new byte[5]), "truncated");
        assertMentions(fails(st(1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0])), "header length 1000");
        assertMentions(fails(st(-1, "{}".getBytes(StandardCharsets.UTF_8), new byte[0])), "header length");
        assertMentions(fails("{" + entry("a", "F32", "[4]", 0, 16) + "}", new byte[8]), "'a'", "outside");
    }

    @Test
    void headerProblems() {
        assertMentions(fails("{\"a\":", new byte[0]), "not valid JSON");
        assertMentions(fails("[1,2]", new byte[0]), "not a JSON object");
        assertMentions(fails("{} {}", new byte[0]), "not valid JSON");
        assertMentions(fails(st(4, new byte[] {'{', '"', (byte) 0xC3, '}'}, new byte[0])), "UTF-8");
        assertMentions(fails("{\"a\":[1]}", new byte[0]), "'a'", "not an object");
        assertMentions(fails("{\"__metadata__\":[]}", new byte[0]), "__metadata__");
        assertMentions(fails("{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__", "'k'");
        assertMentions(fails("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 0, 4) + "}", new byte[4]), "duplicate", "'a'");
        assertMentions(fails("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]), "duplicate");
    }

    @Test
    void entryProblems() {
        assertMentions(fails("{" + entry("w", "F31", "[1]", 0, 4) + "}", new byte[4]), "'w'", "unknown dtype");
        assertMentions(fails("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "'w'", "dtype");
        assertMentions(fails("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "'w'", "shape");
        assertMentions(fails("{" + entry("w", "F32", "[-1]", 0, 4) + "}", new byte[4]), "'w'", "bad shape");
        assertMentions(fails("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", new byte[4]), "'w'", "bad shape");
        assertMentions(fails("{" + entry("w", "F32", "[99999999999999999999]", 0, 4) + "}", new byte[4]), "'w'", "bad shape");
        assertMentions(fails("{" + entry("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", new byte[4]), "'w'", "overflows");
        assertMentions(fails("{" + entry("w", "F64", "[1152921504606846976,1]", 0, 4) + "}", new byte[4]), "'w'", "overflows");
        assertMentions(fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]), "'w'", "data_offsets");
        assertMentions(fails("{" + entry("w", "F32", "[1]", 4, 0) + "}", new byte[4]), "'w'", "outside");
        assertMentions(fails("{" + entry("w", "F32", "[1]", -4, 0) + "}", new byte[4]), "'w'", "outside");
        assertMentions(fails("{" + entry("w", "F32", "[2]", 0, 4) + "}", new byte[4]), "'w'", "needs 8");
        assertMentions(fails("{" + entry("w", "BF16", "[3]", 0, 4) + "}", new byte[4]), "'w'", "needs 6");
    }

    @Test
    void overlappingTensorsAreAnErrorGapsAreReported() {
        assertMentions(fails("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", new byte[12]),
                "'b'", "overlap", "'a'");
        assertMentions(fails("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", new byte[8]), "overlap");
        String gap = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}";
        try (SafeTensorsFile f = SafeTensorsFile.open(TestFiles.write(dir, "gap.safetensors", st(gap, new byte[20])))) {
            assertEquals(12, f.unusedBytes(), "4-byte gap + 8 trailing bytes");
            assertEquals(0f, f.tensor("b").toFloatArray()[0]);
        }
    }

    @Test
    void missingTensorAndClosedFile() {
        Path p = TestFiles.write(dir, "ok.safetensors", st("{" + entry("a", "F32", "[1]", 0, 4) + "}", new byte[4]));
        SafeTensorsFile f = SafeTensorsFile.open(p);
        assertMentions(assertThrows(WeightsException.class, () -> f.tensor("b")), p.toString(), "'b'");
        f.close();
        assertMentions(assertThrows(WeightsException.class, () -> f.tensor("a")), "'a'", "closed");
        assertMentions(assertThrows(WeightsException.class, () -> SafeTensorsFile.open(dir.resolve("none.safetensors"))), "no such file");
        assertMentions(assertThrows(WeightsException.class, () -> SafeTensorsFile.open(dir)), "directory");
    }

    @Test
    void shrunkFileIsDetected() throws IOException {
        Path p = TestFiles.write(dir, "ok.safetensors", st("{" + entry("a", "F32", "[4]", 0, 16) + "}", new byte[16]));
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                raf.setLength(20);
            }
            assertMentions(assertThrows(WeightsException.class, () -> f.tensor("a")), "'a'", "shrank");
        }
    }

    /** A 3 GiB tensor in a sparse 3 GiB file: mapped per tensor/chunk, never as a whole; one mapping of it is refused clearly. */
    @Test
    void tensorsOverTwoGigabytes() throws IOException {
        long big = 3L << 30;
        String h = "{" + entry("big", "F32", "[" + big / 4 + "]", 0, big) + "," + entry("tail", "F32", "[2]", big, big + 8) + "}";
        byte[] head = st(h, new byte[0]);
        Path p = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.write(head);
            raf.setLength(head.length + big + 8);
            raf.seek(head.length + big - 4);
            raf.write(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(3f).putFloat(1f).putFloat(2f).array());
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertMentions(assertThrows(WeightsException.class, () -> f.tensor("big")), "'big'", "chunks");
            assertMentions(assertThrows(WeightsException.class, () -> f.bytes("big")), "'big'", "chunks");
            assertEquals(3f, f.bytes("big", big - 4, 4).getFloat(0));
            assertArrayEquals(new float[] {1f, 2f}, f.tensor("tail").toFloatArray());
            assertMentions(assertThrows(WeightsException.class, () -> f.bytes("big", big - 4, 8)), "outside");
        }
    }

    @Test
    void everyDtypeDecodes() {
        Map<String, SafeTensorsWriter.Raw> m = new LinkedHashMap<>();
        float[] v = {0f, 1f, 2f, 96f};
        for (DType d : DType.values()) {
            float[] vals = d == DType.BOOL ? new float[] {0f, 1f, 1f, 0f} : d == DType.I8 ? new float[] {0f, 1f, -2f, 96f} : v;
            m.put(d.name(), SafeTensorsWriter.Raw.encode(d, new long[] {2, 2}, vals));
        }
        Path p = dir.resolve("all.safetensors");
        SafeTensorsWriter.writeRaw(p, m, Map.of());
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            for (DType d : DType.values()) {
                assertEquals(d, f.info(d.name()).dtype());
                assertArrayEquals(new long[] {2, 2}, f.tensor(d.name()).shape());
                float[] want = d == DType.BOOL ? new float[] {0f, 1f, 1f, 0f} : d == DType.I8 ? new float[] {0f, 1f, -2f, 96f} : v;
                assertArrayEquals(want, f.tensor(d.name()).toFloatArray(), d.name());
            }
        }
    }
}

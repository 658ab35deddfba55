package io.jmmdit.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.engine.Tensor;

class SafeTensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void canonicalLayoutMatchesTheGoldenWriter() throws IOException {
        // re-writing a golden file gives the same bytes: sorted keys, space padding, contiguous data
        Path golden = SafeTensorsFileTest.resource(dir, "case-512-masked.safetensors");
        Map<String, SafeTensorsWriter.Raw> raw = new java.util.LinkedHashMap<>();
        Map<String, String> meta;
        try (SafeTensorsFile f = SafeTensorsFile.open(golden)) {
            for (String n : f.names()) {
                TensorInfo i = f.info(n);
                raw.put(n, new SafeTensorsWriter.Raw(i.dtype(), i.shape(), f.bytes(n)));
            }
            meta = f.metadata();
        }
        Path out = dir.resolve("copy.safetensors");
        SafeTensorsWriter.writeRaw(out, raw, meta);
        byte[] a = Files.readAllBytes(golden);
        byte[] b = Files.readAllBytes(out);
        long la = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long lb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, lb % 8);
        assertEquals(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(new String(a, 8, (int) la, StandardCharsets.UTF_8)),
                com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(new String(b, 8, (int) lb, StandardCharsets.UTF_8)));
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 8 + (int) la, a.length), java.util.Arrays.copyOfRange(b, 8 + (int) lb, b.length));
    }

    @Test
    void atomicReplaceLeavesNoTemporaryFilesAndKeepsOpenReadersValid() throws IOException {
        Path p = dir.resolve("w.safetensors");
        SafeTensorsWriter.write(p, Map.of("x", Tensor.of(new float[] {1, 2, 3}, 3)), Map.of("v", "1"));
        try (SafeTensorsFile old = SafeTensorsFile.open(p)) {
            SafeTensorsWriter.write(p, Map.of("x", Tensor.of(new float[] {4, 5, 6, 7}, 2, 2)), Map.of("v", "2"));
            assertArrayEquals(new float[] {1, 2, 3}, old.tensor("x").toFloatArray(), "old inode still mapped");
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertEquals("2", f.metadata().get("v"));
            assertArrayEquals(new long[] {2, 2}, f.info("x").shape());
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }

    @Test
    void refusesInputsAndBadTensorsWithoutTouchingTheTarget() throws IOException {
        Path p = dir.resolve("w.safetensors");
        SafeTensorsWriter.write(p, Map.of("x", Tensor.of(new float[] {1}, 1)), Map.of());
        byte[] before = Files.readAllBytes(p);
        WeightsException e = assertThrows(WeightsException.class,
                () -> SafeTensorsWriter.write(dir.resolve("./w.safetensors"), Map.of("y", Tensor.of(new float[] {2}, 1)), Map.of(), p));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        assertThrows(WeightsException.class, () -> SafeTensorsWriter.writeRaw(p,
                Map.of("bad", SafeTensorsWriter.Raw.of(DType.F16, new long[] {3}, new byte[4])), Map.of()));
        assertThrows(WeightsException.class, () -> SafeTensorsWriter.writeRaw(p,
                Map.of("__metadata__", SafeTensorsWriter.Raw.of(DType.U8, new long[] {1}, new byte[1])), Map.of()));
        assertThrows(WeightsException.class, () -> SafeTensorsWriter.write(p, Map.of("i", Tensor.of(new float[] {0.5f}, 1)), Map.of(), DType.I32));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}

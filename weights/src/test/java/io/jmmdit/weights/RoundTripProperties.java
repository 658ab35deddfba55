package io.jmmdit.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jmmdit.engine.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** write → read round trips of every dtype, bit-exact. */
class RoundTripProperties {

    static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("st-roundtrip");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<SafeTensorsWriter.Raw> raw() {
        Arbitrary<DType> dtype = Arbitraries.of(DType.class);
        Arbitrary<long[]> shape = Arbitraries.longs().between(0, 5).array(long[].class).ofMaxSize(3)
                .filter(s -> { long n = 1; for (long d : s) n *= d; return n <= 40; });
        return Combinators.combine(dtype, shape, Arbitraries.longs()).as((d, s, seed) -> {
            long n = 1;
            for (long x : s) {
                n *= x;
            }
            byte[] data = new byte[(int) n * d.bytes];
            new java.util.Random(seed).nextBytes(data);
            if (d == DType.BOOL) {
                for (int i = 0; i < data.length; i++) {
                    data[i] &= 1;
                }
            }
            return SafeTensorsWriter.Raw.of(d, s, data);
        });
    }

    @Provide
    Arbitrary<Map<String, SafeTensorsWriter.Raw>> tensors() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ._-0123456789/é\"\\").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.equals("__metadata__"));
        return Arbitraries.maps(names, raw()).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), Arbitraries.strings().ofMaxLength(20)).ofMaxSize(3);
    }

    @Property(tries = 300)
    void everyDtypeRoundTripsBitExactly(@ForAll("tensors") Map<String, SafeTensorsWriter.Raw> tensors,
            @ForAll("metadata") Map<String, String> metadata) throws IOException {
        Path p = dir.resolve("rt.safetensors");
        SafeTensorsWriter.writeRaw(p, tensors, metadata);

        byte[] file = Files.readAllBytes(p);
        long headerLen = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, headerLen % 8, "header padded to a multiple of 8");
        String header = new String(file, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{") && header.stripTrailing().endsWith("}"), header);

        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertEquals(metadata, f.metadata());
            assertEquals(new ArrayList<>(new TreeMap<>(tensors).keySet()), new ArrayList<>(f.names()), "sorted keys");
            assertEquals(0, f.unusedBytes(), "contiguous, no trailing bytes");
            for (Map.Entry<String, SafeTensorsWriter.Raw> e : tensors.entrySet()) {
                SafeTensorsWriter.Raw r = e.getValue();
                TensorInfo info = f.info(e.getKey());
                assertEquals(r.dtype(), info.dtype());
                assertArrayEquals(r.shape(), info.shape());
                ByteBuffer got = f.bytes(e.getKey());
                assertEquals(r.data(), got, "raw bytes");
                Tensor t = f.tensor(e.getKey());
                assertArrayEquals(r.shape(), t.shape());
                if (info.elements() == 0) {
                    continue;
                }
                float[] values = t.toFloatArray();
                float[] expected = Dtypes.toFloat(r.data(), r.dtype(), (int) info.elements());
                for (int i = 0; i < values.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(values[i]), e.getKey() + "[" + i + "]");
                }
                if (r.dtype() != DType.F32 && r.dtype() != DType.F64 && r.dtype().isFloatingPoint()) {
                    byte[] reencoded = Dtypes.fromFloat(values, r.dtype());
                    byte[] original = new byte[r.data().remaining()];
                    r.data().duplicate().get(original);
                    for (int i = 0; i < values.length; i++) {
                        if (!Float.isNaN(values[i])) {
                            for (int k = 0; k < r.dtype().bytes; k++) {
                                int j = i * r.dtype().bytes + k;
                                assertEquals(original[j], reencoded[j], e.getKey() + ": float conversion of element " + i + " is not exact");
                            }
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 100)
    void floatTensorsRoundTripThroughEveryFloatDtype(@ForAll("raw") SafeTensorsWriter.Raw source) {
        if (source.dtype() == DType.F64 || !source.dtype().isFloatingPoint()) {
            return;
        }
        long n = 1;
        for (long d : source.shape()) {
            n *= d;
        }
        if (n == 0) {
            return;
        }
        float[] values = Dtypes.toFloat(source.data(), source.dtype(), (int) n);
        Path p = dir.resolve("rt2.safetensors");
        for (DType target : List.of(DType.F32, DType.F64, source.dtype())) {
            SafeTensorsWriter.write(p, Map.of("t", Tensor.of(values, source.shape())), Map.of("k", "v"), target);
            try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
                float[] back = f.tensor("t").toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    assertTrue(Float.floatToRawIntBits(values[i]) == Float.floatToRawIntBits(back[i])
                            || Float.isNaN(values[i]) && Float.isNaN(back[i]), target + " element " + i);
                }
            }
        }
    }
}

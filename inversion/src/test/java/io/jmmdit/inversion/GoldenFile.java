package io.jmmdit.inversion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jmmdit.engine.Tensor;

/**
 * A test-only reader of F32 tensors from a small safetensors classpath resource ({@code inversion} may not depend on the
 * weights module). Handles the flat header {@code {"name": {"dtype", "shape", "data_offsets"}, …}}.
 */
final class GoldenFile {

    private static final Pattern ENTRY = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\{([^{}]*)\\}");
    private static final Pattern DTYPE = Pattern.compile("\"dtype\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern SHAPE = Pattern.compile("\"shape\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern OFFSETS = Pattern.compile("\"data_offsets\"\\s*:\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");

    private record Entry(String dtype, long[] shape, long begin, long end) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final ByteBuffer data;

    GoldenFile(String resource) throws IOException {
        byte[] all;
        try (InputStream in = GoldenFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            all = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(b.getLong(0));
        String header = new String(all, 8, n, StandardCharsets.UTF_8);
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            if (m.group(1).equals("__metadata__")) {
                continue;
            }
            String body = m.group(2);
            Matcher d = DTYPE.matcher(body);
            Matcher s = SHAPE.matcher(body);
            Matcher o = OFFSETS.matcher(body);
            if (!d.find() || !s.find() || !o.find()) {
                throw new IOException("cannot parse header entry " + m.group(1));
            }
            String dims = s.group(1).trim();
            long[] shape = dims.isEmpty() ? new long[0]
                    : java.util.Arrays.stream(dims.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
            entries.put(m.group(1), new Entry(d.group(1), shape, Long.parseLong(o.group(1)), Long.parseLong(o.group(2))));
        }
        data = ByteBuffer.wrap(all, 8 + n, all.length - 8 - n).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    float[] floats(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        if (!e.dtype.equals("F32")) {
            throw new IllegalArgumentException(name + " is " + e.dtype);
        }
        float[] f = new float[Math.toIntExact((e.end - e.begin) / 4)];
        ByteBuffer s = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        s.position(Math.toIntExact(e.begin));
        s.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    long[] shape(String name) {
        return entries.get(name).shape.clone();
    }

    Tensor tensor(String name) {
        return Tensor.of(floats(name), shape(name));
    }
}

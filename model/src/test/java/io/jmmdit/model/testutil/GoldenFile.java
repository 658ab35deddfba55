package io.jmmdit.model.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Test-only access to golden data on the test classpath: JSON files, and F32/F64 tensors of a small safetensors file
 * (8-byte LE header length, JSON header, raw LE data). Not a general safetensors reader.
 */
public final class GoldenFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String resource;
    private final JsonNode header;
    private final ByteBuffer data;

    private GoldenFile(String resource, JsonNode header, ByteBuffer data) {
        this.resource = resource;
        this.header = header;
        this.data = data;
    }

    /** Reads a resource (path relative to the classpath root, e.g. {@code golden/x/y.json}) as bytes. */
    public static byte[] bytes(String resource) {
        try (InputStream in = GoldenFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + resource, e);
        }
    }

    public static JsonNode json(String resource) {
        try {
            return JSON.readTree(bytes(resource));
        } catch (IOException e) {
            throw new UncheckedIOException("test resource " + resource + " is not JSON", e);
        }
    }

    public static GoldenFile safetensors(String resource) {
        ByteBuffer b = ByteBuffer.wrap(bytes(resource)).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(b.getLong(0));
        try {
            JsonNode h = JSON.readTree(Arrays.copyOfRange(b.array(), 8, 8 + n));
            b.position(8 + n);
            return new GoldenFile(resource, h, b.slice().order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new UncheckedIOException("bad safetensors header in " + resource, e);
        }
    }

    public long[] shape(String name) {
        JsonNode s = entry(name).get("shape");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asLong();
        }
        return out;
    }

    public float[] f32(String name) {
        ByteBuffer b = range(name, "F32");
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public double[] f64(String name) {
        ByteBuffer b = range(name, "F64");
        double[] out = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(out);
        return out;
    }

    private JsonNode entry(String name) {
        JsonNode e = header.get(name);
        if (e == null) {
            throw new IllegalArgumentException("tensor " + name + " not in " + resource);
        }
        return e;
    }

    private ByteBuffer range(String name, String dtype) {
        JsonNode e = entry(name);
        if (!e.get("dtype").asText().equals(dtype)) {
            throw new IllegalArgumentException("tensor " + name + " in " + resource + " is " + e.get("dtype").asText() + ", expected " + dtype);
        }
        int from = e.get("data_offsets").get(0).asInt();
        int to = e.get("data_offsets").get(1).asInt();
        return data.duplicate().position(from).limit(to).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}

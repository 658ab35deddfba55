package io.jmmdit.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.DType;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.TensorInfo;

/** Test helpers over the golden files copied into test resources. */
final class Golden {

    private Golden() {
    }

    static Path resource(String path) {
        URL u = Golden.class.getResource("/" + path);
        assertNotNull(u, "test resource " + path + " is missing");
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static long[] longs(SafeTensorsFile f, String name) {
        TensorInfo i = f.info(name);
        assertEquals(DType.I64, i.dtype(), name + " dtype");
        ByteBuffer b = f.bytes(name);
        long[] out = new long[Math.toIntExact(i.elements())];
        for (int k = 0; k < out.length; k++) {
            out[k] = b.getLong(8 * k);
        }
        return out;
    }

    static int[][] ints2d(SafeTensorsFile f, String name) {
        long[] v = longs(f, name);
        long[] s = f.info(name).shape();
        int rows = (int) s[0];
        int cols = (int) s[1];
        int[][] out = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = Math.toIntExact(v[r * cols + c]);
            }
        }
        return out;
    }

    /**
     * Every golden tensor of a case file except its inputs ({@code input_ids}, {@code attention_mask}) against the
     * trace: integer ones ({@code exact}) equal, the others within {@code tol} of {@link #relMax}. Returns how many.
     */
    static int assertTraceMatches(String label, SafeTensorsFile g, Map<String, Tensor> out, Predicate<String> exact, double tol) {
        int compared = 0;
        for (String name : new TreeSet<>(g.names())) {
            if (name.equals("input_ids") || name.equals("attention_mask")) {
                continue;
            }
            Tensor actual = out.get(name);
            assertNotNull(actual, label + ": trace did not produce " + name + " (got " + out.keySet() + ")");
            if (exact.test(name)) {
                long[] e = longs(g, name);
                float[] a = actual.toFloatArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], (long) a[i], label + " " + name + "[" + i + "]");
                }
            } else {
                try (Tensor e = g.tensor(name)) {
                    double rel = relMax(actual, e);
                    System.out.printf("%s %-28s rel %.3e abs %.3e%n", label, name, rel, maxAbs(actual, e));
                    assertTrue(rel <= tol, label + " " + name + ": rel error " + rel);
                }
            }
            compared++;
        }
        return compared;
    }

    /** max|a − e|. */
    static double maxAbs(Tensor actual, Tensor expected) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - e[i]);
            if (!(d <= m)) {
                m = d;
            }
        }
        return m;
    }

    /** max|a − e| / max|e|, the README metric of clip-text and t5-encoder. */
    static double relMax(Tensor actual, Tensor expected) {
        return maxAbs(actual, expected) / expected.maxAbs();
    }

    /** max over elements of |a − e| / (atol + rtol·|e|): ≤ 1 means within numpy-style allclose. */
    static double allcloseRatio(Tensor actual, Tensor expected, double atol, double rtol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double r = Math.abs((double) a[i] - e[i]) / (atol + rtol * Math.abs(e[i]));
            if (!(r <= m)) {
                m = r;
            }
        }
        return m;
    }

    static boolean bitEqual(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            return false;
        }
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                return false;
            }
        }
        return true;
    }
}

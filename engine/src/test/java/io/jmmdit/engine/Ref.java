package io.jmmdit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

/** Test helpers: seeded random inputs and element-wise comparison against float64 references. */
final class Ref {

    private Ref() {
    }

    static float[] rnd(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    /** |got − expected| ≤ tol·(1 + |expected|) everywhere, and the shapes agree. */
    static void assertClose(double[] expected, long[] shape, Tensor got, double tol) {
        assertArrayEquals(shape, got.shape(), "shape");
        float[] g = got.toFloatArray();
        assertTrue(g.length == expected.length, "length " + g.length + " vs " + expected.length);
        for (int i = 0; i < g.length; i++) {
            double e = expected[i];
            assertTrue(Math.abs(g[i] - e) <= tol * (1 + Math.abs(e)), "element " + i + ": got " + g[i] + ", expected " + e);
        }
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        assertArrayEquals(a.shape(), b.shape());
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    /** erf with |error| < 1.2e-7 (Numerical Recipes erfc via Chebyshev fit). */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - ans : ans - 1;
    }
}

package io.jmmdit.inversion;

import java.util.Random;

import io.jmmdit.engine.Tensor;

/** Analytic velocity fields on [B, d] latents and small helpers for the tests. */
final class Fields {

    private Fields() {
    }

    /** v = c (a [d] vector, the same for every row and σ). Exact flow: x_σ = x_data + σ·c. */
    static VelocityField constant(float[] c) {
        return (x, sigma, step) -> {
            try (Tensor z = Tensor.zeros(x.shape()); Tensor cc = Tensor.of(c, 1, c.length)) {
                return z.add(cc);
            }
        };
    }

    /** v = A·x + b0 + σ·b1 per row; A is d×d row-major. */
    static VelocityField linear(double[][] a, double[] b0, double[] b1) {
        int d = b0.length;
        float[] af = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                af[i * d + j] = (float) a[i][j];
            }
        }
        return (x, sigma, step) -> {
            float[] b = new float[d];
            for (int i = 0; i < d; i++) {
                b[i] = (float) (b0[i] + sigma * b1[i]);
            }
            try (Tensor at = Tensor.of(af, d, d); Tensor ax = x.matmulTransposed(at); Tensor bb = Tensor.of(b, 1, d)) {
                return ax.add(bb);
            }
        };
    }

    /** A nonlinear, σ- and row-dependent field (rows independent): v = (1+σ)·tanh(x·w) + σ² + row-offset·0. */
    static VelocityField nonlinear(float w, float bias) {
        return (x, sigma, step) -> {
            try (Tensor xs = x.mul(w); Tensor t = xs.tanh()) {
                return t.mul(1 + sigma).add(bias + sigma * sigma);
            }
        };
    }

    /** Rotation generator ω·J, J block-diagonal [[0, −1], [1, 0]] (d even). */
    static double[][] rotation(int d, double omega) {
        double[][] a = new double[d][d];
        for (int i = 0; i + 1 < d; i += 2) {
            a[i][i + 1] = -omega;
            a[i + 1][i] = omega;
        }
        return a;
    }

    /** Random d×d matrix scaled to Frobenius norm {@code frob} (an upper bound of its spectral norm). */
    static double[][] randomMatrix(Random r, int d, double frob) {
        double[][] a = new double[d][d];
        double s = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = r.nextGaussian();
                s += a[i][j] * a[i][j];
            }
        }
        double f = frob / Math.sqrt(s);
        for (double[] row : a) {
            for (int j = 0; j < d; j++) {
                row[j] *= f;
            }
        }
        return a;
    }

    static double[] randomVector(Random r, int d, double scale) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return v;
    }

    static Tensor randomTensor(Random r, double scale, long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (scale * r.nextGaussian());
        }
        return Tensor.of(f, shape);
    }

    /** σ_0 = 1 > random interior values > σ_N = 0. */
    static Schedule randomSchedule(Random r, int steps) {
        float[] s = new float[steps + 1];
        double[] inner = new double[steps - 1];
        for (int i = 0; i < inner.length; i++) {
            inner[i] = 0.02 + 0.96 * r.nextDouble();
        }
        java.util.Arrays.sort(inner);
        s[0] = 1f;
        for (int i = 0; i < inner.length; i++) {
            s[steps - 1 - i] = (float) inner[i];
        }
        s[steps] = 0f;
        return Schedule.of(s);
    }

    /** Solves (I − h·A) z = rhs in double (Gaussian elimination with partial pivoting). */
    static double[] solveImplicit(double[][] a, double h, double[] rhs) {
        int d = rhs.length;
        double[][] m = new double[d][d + 1];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = (i == j ? 1 : 0) - h * a[i][j];
            }
            m[i][d] = rhs[i];
        }
        for (int c = 0; c < d; c++) {
            int p = c;
            for (int i = c + 1; i < d; i++) {
                if (Math.abs(m[i][c]) > Math.abs(m[p][c])) {
                    p = i;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int i = 0; i < d; i++) {
                if (i != c) {
                    double f = m[i][c] / m[c][c];
                    for (int j = c; j <= d; j++) {
                        m[i][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            z[i] = m[i][d] / m[i][i];
        }
        return z;
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        if (x.length != y.length) {
            throw new AssertionError("lengths " + x.length + " vs " + y.length);
        }
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs((double) x[i] - y[i]));
        }
        return m;
    }

    static double maxAbs(Tensor a) {
        double m = 0;
        for (float f : a.toFloatArray()) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    static double dist(float[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    static double norm(double[] y) {
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}

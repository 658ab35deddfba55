package io.jmmdit.inversion;

import java.util.Arrays;
import java.util.List;

/**
 * A noise schedule {@code σ_0 = 1 ≥ σ_1 ≥ … ≥ σ_N = 0} (float32, as the schedulers produce it): index 0 is the noise
 * end, index N the data end. N ≥ 1 is the number of steps. Immutable.
 */
public final class Schedule {

    private final float[] sigmas;

    private Schedule(float[] sigmas) {
        this.sigmas = sigmas;
    }

    /**
     * A schedule from its N+1 sigmas.
     *
     * @throws IllegalArgumentException with the offending index and value when there are fewer than 2 values, a
     *                                  value is not finite or outside [0, 1], σ_0 ≠ 1, σ_N ≠ 0, or the values increase
     */
    public static Schedule of(float... sigmas) {
        if (sigmas == null || sigmas.length < 2) {
            throw new IllegalArgumentException("a schedule needs at least 2 sigmas (sigma_0 = 1 ... sigma_N = 0), got "
                    + (sigmas == null ? "null" : Arrays.toString(sigmas)));
        }
        float[] s = sigmas.clone();
        for (int k = 0; k < s.length; k++) {
            if (!Float.isFinite(s[k]) || s[k] < 0f || s[k] > 1f) {
                throw new IllegalArgumentException("sigma[" + k + "] = " + s[k] + " is not in [0, 1]: " + Arrays.toString(s));
            }
            if (k > 0 && s[k] > s[k - 1]) {
                throw new IllegalArgumentException("sigmas must not increase: sigma[" + k + "] = " + s[k] + " > sigma["
                        + (k - 1) + "] = " + s[k - 1] + " in " + Arrays.toString(s));
            }
        }
        if (s[0] != 1f) {
            throw new IllegalArgumentException("sigma[0] must be 1 (pure noise), got " + s[0] + " in " + Arrays.toString(s));
        }
        if (s[s.length - 1] != 0f) {
            throw new IllegalArgumentException("sigma[N] must be 0 (data), got " + s[s.length - 1] + " in " + Arrays.toString(s));
        }
        return new Schedule(s);
    }

    /** A schedule from a list of numbers (converted to float). */
    public static Schedule of(List<? extends Number> sigmas) {
        if (sigmas == null) {
            throw new IllegalArgumentException("sigmas is null");
        }
        float[] s = new float[sigmas.size()];
        for (int i = 0; i < s.length; i++) {
            Number n = sigmas.get(i);
            if (n == null) {
                throw new IllegalArgumentException("sigma[" + i + "] is null");
            }
            s[i] = n.floatValue();
        }
        return of(s);
    }

    /** {@code σ_k = 1 − k/N}, k = 0..N (a plain linear schedule, mostly for tests). */
    public static Schedule linear(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        float[] s = new float[steps + 1];
        for (int k = 0; k <= steps; k++) {
            s[k] = (float) (1.0 - (double) k / steps);
        }
        s[steps] = 0f;
        return new Schedule(s);
    }

    /** Parses {@link #toText()} (comma-separated floats). */
    public static Schedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty sigma list");
        }
        String[] parts = text.trim().split("\\s*,\\s*");
        float[] s = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                s[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sigma[" + i + "] = '" + parts[i] + "' is not a number", e);
            }
        }
        return of(s);
    }

    /** N, the number of steps (intervals). */
    public int steps() {
        return sigmas.length - 1;
    }

    /** σ_k, k = 0..N. */
    public float sigma(int k) {
        if (k < 0 || k >= sigmas.length) {
            throw new IndexOutOfBoundsException("sigma index " + k + " outside [0, " + steps() + "]");
        }
        return sigmas[k];
    }

    /** A copy of σ_0 … σ_N. */
    public float[] sigmas() {
        return sigmas.clone();
    }

    /** The sigmas as comma-separated shortest round-tripping floats (exact through {@link #parse}). */
    public String toText() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sigmas.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(sigmas[i]);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule && Arrays.equals(sigmas, ((Schedule) o).sigmas);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sigmas);
    }

    @Override
    public String toString() {
        return "Schedule" + Arrays.toString(sigmas);
    }
}

package io.jmmdit.inversion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jmmdit.engine.Tensor;

/**
 * The result of an inversion: the whole trajectory {@code x*_0 … x*_N} plus how it was made.
 *
 * <p><b>Index convention</b>: {@code point(k)} is the latent at {@code σ_k} of {@link #schedule()}, so
 * {@code point(N)} = {@link #data()} is (a copy of) the input data latent and {@code point(0)} = {@link #noise()} is
 * the inverted noise end. This is also diffusers' sigma order (FTEdit's own {@code all_latents} list is the reverse).
 * Each point has the input's shape [B, …].
 *
 * <p><b>Persistence</b> ({@code inversion} cannot depend on safetensors): {@link #points()} + {@link #metadata()} is the
 * plain representation, and {@link #fromParts} rebuilds it. Suggested safetensors layout: one F32 tensor per point
 * named {@link #tensorName(int) x_0 … x_N} (see {@link #namedTensors()}), and the metadata map as the file's
 * {@code __metadata__} (string → string); the sigmas are in the metadata as exact text ({@link #KEY_SIGMAS}), so no
 * separate sigmas tensor is needed (writing one as {@code sigmas} [N+1] F32 too is harmless).
 *
 * <p>The trajectory owns its point tensors; {@link #close()} frees them.
 */
public final class Trajectory implements AutoCloseable {

    public static final String FORMAT = "jmmdit.trajectory/1";
    public static final String KEY_FORMAT = "format";
    public static final String KEY_INDEX_CONVENTION = "index_convention";
    public static final String KEY_METHOD = "method";
    public static final String KEY_CONVENTION = "convention";
    public static final String KEY_SIGMAS = "sigmas";
    public static final String KEY_STEPS = "steps";
    public static final String KEY_MODEL_CALLS = "model_calls";
    public static final String KEY_CALLS_PER_STEP = "calls_per_step";
    public static final String KEY_FINAL_CHANGE = "final_relative_change";
    /** Prefix of method parameters in the metadata, e.g. {@code param.K}, {@code param.tolerance}. */
    public static final String PARAM_PREFIX = "param.";
    public static final String INDEX_CONVENTION = "x_k is the latent at sigma_k; x_0 = noise end (sigma 1), x_N = data latent (sigma 0)";

    private final List<Tensor> points;
    private final Schedule schedule;
    private final String method;
    private final SigmaConvention convention;
    private final Map<String, String> parameters;
    private final int modelCalls;
    private final int[] callsPerStep;
    private final double[] finalRelativeChange;

    /**
     * @param points              x*_0 … x*_N (taken over, not copied)
     * @param callsPerStep        model calls of inversion step s (execution order: s = 0 starts at the data), length N
     * @param finalRelativeChange per step s, the last fixed-point change ‖z^{i+1} − z^i‖/‖z^i‖ (NaN if not applicable);
     *                            length N
     */
    public Trajectory(List<Tensor> points, Schedule schedule, String method, SigmaConvention convention,
                      Map<String, String> parameters, int[] callsPerStep, double[] finalRelativeChange) {
        if (schedule == null || method == null || method.isBlank() || convention == null) {
            throw new IllegalArgumentException("schedule, method and convention are required");
        }
        int n = schedule.steps();
        if (points == null || points.size() != n + 1) {
            throw new IllegalArgumentException("a trajectory over " + n + " steps needs " + (n + 1) + " points, got "
                    + (points == null ? "null" : points.size()));
        }
        long[] shape = null;
        for (int k = 0; k <= n; k++) {
            Tensor p = points.get(k);
            if (p == null) {
                throw new IllegalArgumentException("point x_" + k + " is null");
            }
            if (shape == null) {
                shape = p.shape();
            } else if (!Arrays.equals(shape, p.shape())) {
                throw new IllegalArgumentException("point x_" + k + " has shape " + p.shapeString() + ", x_0 has "
                        + Arrays.toString(shape));
            }
        }
        if (shape.length < 1) {
            throw new IllegalArgumentException("points need a batch dimension, got shape " + Arrays.toString(shape));
        }
        this.callsPerStep = callsPerStep == null ? new int[n] : callsPerStep.clone();
        this.finalRelativeChange = finalRelativeChange == null ? nanArray(n) : finalRelativeChange.clone();
        if (this.callsPerStep.length != n || this.finalRelativeChange.length != n) {
            throw new IllegalArgumentException("per-step arrays must have length " + n);
        }
        this.points = Collections.unmodifiableList(new ArrayList<>(points));
        this.schedule = schedule;
        this.method = method;
        this.convention = convention;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters == null ? Map.of() : parameters));
        this.modelCalls = Arrays.stream(this.callsPerStep).sum();
    }

    // ---- accessors ----------------------------------------------------------------------------------------------

    /** x*_k, the latent at σ_k (borrowed: do not close; copy it to keep it beyond the trajectory). */
    public Tensor point(int k) {
        if (k < 0 || k > steps()) {
            throw new IndexOutOfBoundsException("trajectory index " + k + " outside [0, " + steps() + "]");
        }
        return points.get(k);
    }

    /** x*_0, the inverted noise (where sampling starts). */
    public Tensor noise() {
        return points.get(0);
    }

    /** x*_N, the data latent the inversion started from. */
    public Tensor data() {
        return points.get(steps());
    }

    /** x*_0 … x*_N (unmodifiable list of borrowed tensors). */
    public List<Tensor> points() {
        return points;
    }

    public Schedule schedule() {
        return schedule;
    }

    /** N. */
    public int steps() {
        return schedule.steps();
    }

    /** The point shape [B, …]. */
    public long[] shape() {
        return points.get(0).shape();
    }

    /** The method's name, e.g. {@code euler}, {@code ftedit-fixed-point}. */
    public String method() {
        return method;
    }

    public SigmaConvention convention() {
        return convention;
    }

    /** Method parameters as text (e.g. {@code K → 2}, {@code tolerance → 0.001}). */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** Model (velocity field) calls the inversion used. */
    public int modelCalls() {
        return modelCalls;
    }

    /** Model calls of each inversion step, in execution order (s = 0 starts at the data). */
    public int[] callsPerStep() {
        return callsPerStep.clone();
    }

    /** Per inversion step (execution order), the last relative iterate change, NaN where not applicable. */
    public double[] finalRelativeChange() {
        return finalRelativeChange.clone();
    }

    // ---- persistence --------------------------------------------------------------------------------------------

    /** The suggested tensor name of point k: {@code x_k}. */
    public static String tensorName(int k) {
        return "x_" + k;
    }

    /** {@code x_0 … x_N → point} in index order (borrowed tensors). */
    public Map<String, Tensor> namedTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int k = 0; k <= steps(); k++) {
            m.put(tensorName(k), points.get(k));
        }
        return m;
    }

    /** Everything but the tensors, as text (see the {@code KEY_*} constants and {@link #PARAM_PREFIX}). */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, FORMAT);
        m.put(KEY_INDEX_CONVENTION, INDEX_CONVENTION);
        m.put(KEY_METHOD, method);
        m.put(KEY_CONVENTION, convention.name());
        m.put(KEY_STEPS, Integer.toString(steps()));
        m.put(KEY_SIGMAS, schedule.toText());
        m.put(KEY_MODEL_CALLS, Integer.toString(modelCalls));
        m.put(KEY_CALLS_PER_STEP, join(callsPerStep));
        m.put(KEY_FINAL_CHANGE, join(finalRelativeChange));
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            m.put(PARAM_PREFIX + e.getKey(), e.getValue());
        }
        return m;
    }

    /**
     * Rebuilds a trajectory from {@link #points()} and {@link #metadata()}; takes over the tensors. Requires the keys
     * {@code method}, {@code convention} and {@code sigmas}; the per-step statistics are optional.
     */
    public static Trajectory fromParts(List<Tensor> points, Map<String, String> metadata) {
        if (metadata == null) {
            throw new IllegalArgumentException("metadata is null");
        }
        String format = metadata.get(KEY_FORMAT);
        if (format != null && !FORMAT.equals(format)) {
            throw new IllegalArgumentException("unsupported trajectory format '" + format + "', expected " + FORMAT);
        }
        Schedule schedule = Schedule.parse(require(metadata, KEY_SIGMAS));
        String method = require(metadata, KEY_METHOD);
        SigmaConvention convention;
        try {
            convention = SigmaConvention.valueOf(require(metadata, KEY_CONVENTION));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown sigma convention '" + metadata.get(KEY_CONVENTION) + "', expected one of "
                    + Arrays.toString(SigmaConvention.values()), e);
        }
        int n = schedule.steps();
        int[] calls = null;
        String c = metadata.get(KEY_CALLS_PER_STEP);
        if (c != null && !c.isBlank()) {
            calls = Arrays.stream(c.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (calls.length != n) {
                throw new IllegalArgumentException(KEY_CALLS_PER_STEP + " has " + calls.length + " entries, schedule has " + n + " steps");
            }
        }
        double[] change = null;
        String ch = metadata.get(KEY_FINAL_CHANGE);
        if (ch != null && !ch.isBlank()) {
            change = Arrays.stream(ch.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            if (change.length != n) {
                throw new IllegalArgumentException(KEY_FINAL_CHANGE + " has " + change.length + " entries, schedule has " + n + " steps");
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith(PARAM_PREFIX)) {
                params.put(e.getKey().substring(PARAM_PREFIX.length()), e.getValue());
            }
        }
        return new Trajectory(points, schedule, method, convention, params, calls, change);
    }

    /** {@link #fromParts} from tensors named {@code x_0 … x_N} (other names are ignored). */
    public static Trajectory fromNamed(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Schedule schedule = Schedule.parse(require(metadata, KEY_SIGMAS));
        List<Tensor> pts = new ArrayList<>();
        for (int k = 0; k <= schedule.steps(); k++) {
            Tensor t = tensors.get(tensorName(k));
            if (t == null) {
                throw new IllegalArgumentException("missing trajectory tensor '" + tensorName(k) + "' (have " + tensors.keySet() + ")");
            }
            pts.add(t);
        }
        return fromParts(pts, metadata);
    }

    @Override
    public void close() {
        for (Tensor t : points) {
            t.close();
        }
    }

    @Override
    public String toString() {
        return "Trajectory[" + method + ", " + convention + ", " + parameters + ", N=" + steps() + ", calls=" + modelCalls
                + ", shape=" + Arrays.toString(shape()) + "]";
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String require(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("trajectory metadata lacks '" + key + "' (have " + m.keySet() + ")");
        }
        return v;
    }

    private static double[] nanArray(int n) {
        double[] d = new double[n];
        Arrays.fill(d, Double.NaN);
        return d;
    }

    private static String join(int[] a) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            b.append(i > 0 ? "," : "").append(a[i]);
        }
        return b.toString();
    }

    private static String join(double[] a) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            b.append(i > 0 ? "," : "").append(a[i]);
        }
        return b.toString();
    }
}

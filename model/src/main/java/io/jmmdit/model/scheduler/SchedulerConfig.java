package io.jmmdit.model.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The options of diffusers' {@code FlowMatchEulerDiscreteScheduler} that FLUX.1 and SD3 use, read from a diffusers
 * {@code scheduler_config.json}. Absent (or null) keys take the defaults of the diffusers constructor.
 *
 * <p>Options that change the schedule in ways this implementation does not reproduce ({@code invert_sigmas},
 * {@code shift_terminal}, Karras/exponential/beta sigmas, a non-exponential {@code time_shift_type},
 * {@code stochastic_sampling}) are rejected when set, rather than silently ignored. Other unknown keys are ignored.
 */
public record SchedulerConfig(
        int numTrainTimesteps,
        double shift,
        boolean useDynamicShifting,
        double baseShift,
        double maxShift,
        long baseImageSeqLen,
        long maxImageSeqLen) {

    /** diffusers FlowMatchEulerDiscreteScheduler.__init__ defaults. */
    public static final SchedulerConfig DEFAULTS = new SchedulerConfig(1000, 1.0, false, 0.5, 1.15, 256, 4096);

    /** Keys whose non-default values are not supported, with the accepted value as JSON (null is accepted too). */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "invert_sigmas", "false",
            "shift_terminal", "null",
            "use_karras_sigmas", "false",
            "use_exponential_sigmas", "false",
            "use_beta_sigmas", "false",
            "time_shift_type", "\"exponential\"",
            "stochastic_sampling", "false");

    private static final ObjectMapper JSON = new ObjectMapper();

    public SchedulerConfig {
        if (numTrainTimesteps <= 0) {
            throw new IllegalArgumentException("num_train_timesteps must be positive, got " + numTrainTimesteps);
        }
        if (!(shift > 0) || Double.isInfinite(shift)) {
            throw new IllegalArgumentException("shift must be a positive finite number, got " + shift);
        }
        if (useDynamicShifting && baseImageSeqLen == maxImageSeqLen) {
            throw new IllegalArgumentException("dynamic shifting needs base_image_seq_len != max_image_seq_len, both are " + baseImageSeqLen);
        }
    }

    /** Reads a diffusers {@code scheduler_config.json}; errors name the file. */
    public static SchedulerConfig fromJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in, file.toString());
        }
    }

    /** Reads a diffusers scheduler config from {@code in}; {@code source} names it in error messages. */
    public static SchedulerConfig fromJson(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IOException("scheduler config " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("scheduler config " + source + " must be a JSON object");
        }
        String cls = root.path("_class_name").asText("FlowMatchEulerDiscreteScheduler");
        if (!cls.equals("FlowMatchEulerDiscreteScheduler")) {
            throw new IOException("scheduler config " + source + " is for " + cls + ", expected FlowMatchEulerDiscreteScheduler");
        }
        for (Map.Entry<String, String> e : UNSUPPORTED.entrySet()) {
            JsonNode v = root.get(e.getKey());
            if (v != null && !v.isNull() && !v.toString().equals(e.getValue())) {
                throw new IOException("scheduler config " + source + ": " + e.getKey() + " = " + v + " is not supported (expected " + e.getValue() + ")");
            }
        }
        try {
            return new SchedulerConfig(
                    Math.toIntExact(integer(root, "num_train_timesteps", DEFAULTS.numTrainTimesteps, source)),
                    number(root, "shift", DEFAULTS.shift, source),
                    bool(root, "use_dynamic_shifting", DEFAULTS.useDynamicShifting, source),
                    number(root, "base_shift", DEFAULTS.baseShift, source),
                    number(root, "max_shift", DEFAULTS.maxShift, source),
                    integer(root, "base_image_seq_len", DEFAULTS.baseImageSeqLen, source),
                    integer(root, "max_image_seq_len", DEFAULTS.maxImageSeqLen, source));
        } catch (IllegalArgumentException e) {
            throw new IOException("scheduler config " + source + ": " + e.getMessage(), e);
        }
    }

    private static double number(JsonNode root, String key, double dflt, String source) throws IOException {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IOException("scheduler config " + source + ": " + key + " must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static long integer(JsonNode root, String key, long dflt, String source) throws IOException {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            throw new IOException("scheduler config " + source + ": " + key + " must be an integer, got " + v);
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode root, String key, boolean dflt, String source) throws IOException {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IOException("scheduler config " + source + ": " + key + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }
}

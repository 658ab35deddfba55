package io.jmmdit.inversion;

import java.util.Map;

import io.jmmdit.engine.Tensor;

/**
 * FireFlow inversion (ALGORITHMS.md §4): a midpoint step {@code x_k = x_{k+1} + h·v_mid} whose start velocity is the
 * previous step's midpoint velocity (only the first step evaluates {@code v(x_N, σ_N)}): N+1 calls in total.
 * Recorded as {@code SOURCE_SIGMA}.
 */
public final class FireFlowInversion implements InversionMethod {

    public static final String NAME = "fireflow";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxModelCalls(Schedule schedule) {
        return schedule.steps() + 1;
    }

    @Override
    public Trajectory invert(VelocityField field, Tensor data, Schedule schedule, ProgressListener progress) {
        return MidpointCore.run(NAME, Map.of("reuse_midpoint_velocity", "true"), true, field, data, schedule, progress);
    }

    @Override
    public String toString() {
        return NAME;
    }
}

package io.jmmdit.inversion;

import java.util.Map;

import io.jmmdit.engine.Tensor;

/**
 * RF-Solver inversion (ALGORITHMS.md §4): a second-order step per interval,
 * {@code x_k = x + h·v + ½h²·(v_mid − v)/(h/2)} with {@code h = σ_k − σ_{k+1}}, {@code v = v(x_{k+1}, σ_{k+1})},
 * {@code v_mid = v(x_{k+1} + (h/2)·v, σ_{k+1} + h/2)}. 2 calls per step (iteration 0 and 1, both reported with
 * sigmaIndex k+1; the midpoint call's σ is σ_{k+1} + h/2). Recorded as {@code SOURCE_SIGMA}.
 */
public final class RfSolverInversion implements InversionMethod {

    public static final String NAME = "rf-solver";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxModelCalls(Schedule schedule) {
        return 2 * schedule.steps();
    }

    @Override
    public Trajectory invert(VelocityField field, Tensor data, Schedule schedule, ProgressListener progress) {
        return MidpointCore.run(NAME, Map.of("order", "2"), false, field, data, schedule, progress);
    }

    @Override
    public String toString() {
        return NAME;
    }
}

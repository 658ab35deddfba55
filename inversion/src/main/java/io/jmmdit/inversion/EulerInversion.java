package io.jmmdit.inversion;

import java.util.Map;

import io.jmmdit.engine.Tensor;

/**
 * Approximate (plain) Euler inversion: {@code x_k = x_{k+1} + (σ_k − σ_{k+1}) · v(x_{k+1}, σ)} for k = N−1 … 0, with
 * σ = σ_{k+1} ({@link SigmaConvention#SOURCE_SIGMA}) or σ_k ({@link SigmaConvention#TARGET_SIGMA}). One call per
 * step.
 */
public final class EulerInversion implements InversionMethod {

    public static final String NAME = "euler";

    private final SigmaConvention convention;

    public EulerInversion(SigmaConvention convention) {
        if (convention == null) {
            throw new IllegalArgumentException("sigma convention is null");
        }
        this.convention = convention;
    }

    public SigmaConvention convention() {
        return convention;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxModelCalls(Schedule schedule) {
        return schedule.steps();
    }

    @Override
    public Trajectory invert(VelocityField velocityField, Tensor data, Schedule schedule, ProgressListener progress) {
        int n = schedule.steps();
        return InversionLoop.run(NAME, convention, Map.of(), false, velocityField, data, schedule, progress, (field, x, s, k, change) -> {
            int evalIndex = convention == SigmaConvention.SOURCE_SIGMA ? k + 1 : k;
            float dsig = schedule.sigma(k) - schedule.sigma(k + 1);
            try (Tensor v = field.velocity(x, schedule.sigma(evalIndex), new StepInfo(Phase.INVERSION, s, n, evalIndex, 0))) {
                return x.copy().axpyInPlace(dsig, v);
            }
        });
    }

    @Override
    public String toString() {
        return NAME + "(" + convention + ")";
    }
}

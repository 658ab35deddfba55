package io.jmmdit.inversion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        CountingField.checkData(data, schedule);
        CountingField field = new CountingField(velocityField);
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        int n = schedule.steps();
        Tensor[] pts = new Tensor[n + 1];
        int[] calls = new int[n];
        pts[n] = data.copy();
        try {
            for (int s = 0; s < n; s++) {
                int k = n - 1 - s;
                int evalIndex = convention == SigmaConvention.SOURCE_SIGMA ? k + 1 : k;
                float dsig = schedule.sigma(k) - schedule.sigma(k + 1);
                int before = field.calls();
                try (Tensor v = field.velocity(pts[k + 1], schedule.sigma(evalIndex), new StepInfo(Phase.INVERSION, s, n, evalIndex, 0))) {
                    pts[k] = pts[k + 1].copy().axpyInPlace(dsig, v);
                }
                calls[s] = field.calls() - before;
                p.onProgress(s + 1, n);
            }
        } catch (RuntimeException | Error e) {
            Tensor.closeAll(pts);
            throw e;
        }
        List<Tensor> list = new ArrayList<>(Arrays.asList(pts));
        return new Trajectory(list, schedule, NAME, convention, Map.of(), calls, null);
    }

    @Override
    public String toString() {
        return NAME + "(" + convention + ")";
    }
}

package io.jmmdit.inversion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.jmmdit.engine.Tensor;

/** The shared loop of {@link RfSolverInversion} and {@link FireFlowInversion} (inversion direction). */
final class MidpointCore {

    private MidpointCore() {
    }

    /**
     * Per step from x = x_{k+1} (t = σ_{k+1}) to x_k, with h = σ_k − σ_{k+1} &gt; 0:
     * <pre>
     * v     = v(x, σ_{k+1})                 (FireFlow after its first step: the previous v_mid, no call)
     * x_mid = x + (h/2)·v
     * v_mid = v(x_mid, σ_{k+1} + h/2)
     * RF-Solver: x_k = x + h·v + ½h²·(v_mid − v)/(h/2)
     * FireFlow:  x_k = x + h·v_mid
     * </pre>
     */
    static Trajectory run(String name, Map<String, String> params, boolean fireFlow, VelocityField velocityField,
                          Tensor data, Schedule schedule, ProgressListener progress) {
        CountingField.checkData(data, schedule);
        CountingField field = new CountingField(velocityField);
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        int n = schedule.steps();
        Tensor[] pts = new Tensor[n + 1];
        int[] calls = new int[n];
        pts[n] = data.copy();
        Tensor carried = null;
        try {
            for (int s = 0; s < n; s++) {
                int k = n - 1 - s;
                float tCurr = schedule.sigma(k + 1);
                float h = schedule.sigma(k) - tCurr;
                int before = field.calls();
                Tensor x = pts[k + 1];
                Tensor v = fireFlow && carried != null ? carried
                        : field.velocity(x, tCurr, new StepInfo(Phase.INVERSION, s, n, k + 1, 0));
                carried = null;
                Tensor vMid;
                try (Tensor xMid = x.copy().axpyInPlace(h / 2, v)) {
                    vMid = field.velocity(xMid, tCurr + h / 2, new StepInfo(Phase.INVERSION, s, n, k + 1, 1));
                }
                try {
                    if (fireFlow) {
                        pts[k] = x.copy().axpyInPlace(h, vMid);
                    } else {
                        try (Tensor diff = vMid.sub(v)) {
                            // ½h²·(v_mid − v)/(h/2), as the reference writes it
                            Tensor firstOrder = diff.mul(1f / (h / 2));
                            try (firstOrder) {
                                pts[k] = x.copy().axpyInPlace(h, v).axpyInPlace(0.5f * h * h, firstOrder);
                            }
                        }
                    }
                } finally {
                    v.close();
                }
                if (fireFlow) {
                    carried = vMid;
                } else {
                    vMid.close();
                }
                calls[s] = field.calls() - before;
                p.onProgress(s + 1, n);
            }
        } catch (RuntimeException | Error e) {
            Tensor.closeAll(pts);
            throw e;
        } finally {
            Tensor.closeAll(carried);
        }
        List<Tensor> list = new ArrayList<>(Arrays.asList(pts));
        return new Trajectory(list, schedule, name, SigmaConvention.SOURCE_SIGMA, params, calls, null);
    }
}

package io.jmmdit.inversion;

import java.util.Map;

import io.jmmdit.engine.Tensor;

/** The step rule {@link RfSolverInversion} and {@link FireFlowInversion} share (inversion direction). */
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
        int n = schedule.steps();
        Tensor[] carried = {null};
        try {
            return InversionLoop.run(name, SigmaConvention.SOURCE_SIGMA, params, false, velocityField, data, schedule, progress,
                    (field, x, s, k, change) -> {
                        float tCurr = schedule.sigma(k + 1);
                        float h = schedule.sigma(k) - tCurr;
                        Tensor v = fireFlow && carried[0] != null ? carried[0]
                                : field.velocity(x, tCurr, new StepInfo(Phase.INVERSION, s, n, k + 1, 0));
                        carried[0] = null;
                        Tensor vMid;
                        try (Tensor xMid = x.copy().axpyInPlace(h / 2, v)) {
                            vMid = field.velocity(xMid, tCurr + h / 2, new StepInfo(Phase.INVERSION, s, n, k + 1, 1));
                        }
                        Tensor out;
                        try {
                            if (fireFlow) {
                                out = x.copy().axpyInPlace(h, vMid);
                            } else {
                                // ½h²·(v_mid − v)/(h/2), as the reference writes it
                                try (Tensor diff = vMid.sub(v); Tensor firstOrder = diff.mul(1f / (h / 2))) {
                                    out = x.copy().axpyInPlace(h, v).axpyInPlace(0.5f * h * h, firstOrder);
                                }
                            }
                        } finally {
                            v.close();
                        }
                        if (fireFlow) {
                            carried[0] = vMid;
                        } else {
                            vMid.close();
                        }
                        return out;
                    });
        } finally {
            Tensor.closeAll(carried);
        }
    }
}

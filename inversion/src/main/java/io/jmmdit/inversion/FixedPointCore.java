package io.jmmdit.inversion;

import java.util.Map;

import io.jmmdit.engine.Tensor;

/** The shared FTEdit Stage I loop; {@code tolerance < 0} never stops early. */
final class FixedPointCore {

    private FixedPointCore() {
    }

    static Trajectory run(String name, Map<String, String> params, int k, double tolerance, IterationObserver observer,
                          VelocityField velocityField, Tensor data, Schedule schedule, ProgressListener progress) {
        int n = schedule.steps();
        return InversionLoop.run(name, SigmaConvention.TARGET_SIGMA, params, true, velocityField, data, schedule, progress,
                (field, x, s, idx, change) -> step(field, x, schedule.sigma(idx), schedule.sigma(idx + 1), s, n, idx, k, tolerance, observer, change));
    }

    /**
     * One step from x = x_{k+1} to x_k:
     * <pre>
     * z⁰ = x;  for i = 0..K: v_i = v(zⁱ, σ_k); zⁱ⁺¹ = x + (σ_k − σ_{k+1})·v_i
     * x_k = x + (σ_k − σ_{k+1})·mean(v_0 … v_K)
     * </pre>
     * Adaptive: after iteration i, stop if ‖zⁱ⁺¹ − zⁱ‖/‖zⁱ‖ ≤ tolerance; the K − i skipped velocities are taken as v_i.
     */
    private static Tensor step(CountingField field, Tensor x, float sigmaK, float sigmaK1, int s, int n, int idx, int k,
                               double tolerance, IterationObserver observer, double[] change) {
        float dsig = sigmaK - sigmaK1;
        Tensor z = x;
        Tensor vsum = null;
        Tensor vlast = null;
        int used = 0;
        try {
            for (int i = 0; i <= k; i++) {
                StepInfo info = new StepInfo(Phase.INVERSION, s, n, idx, i);
                Tensor v = field.velocity(z, sigmaK, info);
                Tensor next = x.copy().axpyInPlace(dsig, v);
                if (observer != null) {
                    observer.onIteration(info, z, v, next);
                }
                if (vsum == null) {
                    vsum = v.copy();
                } else {
                    vsum.addInPlace(v);
                }
                used = i + 1;
                double c = CountingField.relativeChange(next, z);
                change[s] = c;
                if (z != x) {
                    z.close();
                }
                z = next;
                if (vlast != null) {
                    vlast.close();
                }
                vlast = v;
                if (tolerance >= 0 && c <= tolerance) {
                    break;
                }
            }
            int skipped = k + 1 - used;
            if (skipped > 0) {
                vsum.axpyInPlace(skipped, vlast);
            }
            return x.copy().axpyInPlace(dsig / (k + 1), vsum);
        } finally {
            if (z != x) {
                z.close();
            }
            Tensor.closeAll(vsum, vlast);
        }
    }
}

package io.jmmdit.inversion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;

import io.jmmdit.engine.Tensor;

/**
 * The walk every inversion method shares: from the data latent x*_N to x*_0, step s going from x*_{k+1} to x*_k with
 * k = N − 1 − s, counting model calls per step and reporting progress.
 */
final class InversionLoop {

    /** One step's rule: x*_k (a new tensor) from x*_{k+1} (borrowed); fixed-point methods record their last change. */
    @FunctionalInterface
    interface Step {
        Tensor apply(CountingField field, Tensor next, int s, int k, double[] change);
    }

    private InversionLoop() {
    }

    /** @param recordsChange whether the trajectory carries per-step fixed-point changes (NaN until a step sets one) */
    static Trajectory run(String name, SigmaConvention convention, Map<String, String> params, boolean recordsChange,
                          VelocityField velocityField, Tensor data, Schedule schedule, ProgressListener progress, Step step) {
        CountingField.checkData(data, schedule);
        CountingField field = new CountingField(velocityField);
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        int n = schedule.steps();
        Tensor[] pts = new Tensor[n + 1];
        int[] calls = new int[n];
        double[] change = recordsChange ? new double[n] : null;
        pts[n] = data.copy();
        try {
            for (int s = 0; s < n; s++) {
                int k = n - 1 - s;
                int before = field.calls();
                if (change != null) {
                    change[s] = Double.NaN;
                }
                pts[k] = step.apply(field, pts[k + 1], s, k, change);
                calls[s] = field.calls() - before;
                p.onProgress(s + 1, n);
            }
        } catch (RuntimeException | Error e) {
            Tensor.closeAll(pts);
            throw e;
        }
        return new Trajectory(new ArrayList<>(Arrays.asList(pts)), schedule, name, convention, params, calls, change);
    }
}

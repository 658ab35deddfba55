package io.jmmdit.inversion;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jmmdit.engine.Tensor;

/**
 * {@link FixedPointInversion} with early stopping (an extension, not in the paper): after iteration i of a step, if
 * {@code ‖zⁱ⁺¹ − zⁱ‖ / ‖zⁱ‖ ≤ tolerance} (absolute change if ‖zⁱ‖ = 0) the step stops. The iterate has converged, so
 * the K − i skipped velocities would equal v_i up to that change: they are taken as v_i in the mean, which keeps the
 * result within O(tolerance) of the fixed-K one (and equal to it when the velocities repeat exactly, e.g. a constant
 * field). Between 1 and K+1 calls per step; {@link Trajectory#callsPerStep()} and {@link #savedCalls} report the
 * savings. Recorded parameters: {@code K}, {@code tolerance}, {@code skipped_velocity=last}.
 */
public final class AdaptiveFixedPointInversion implements InversionMethod {

    public static final String NAME = "ftedit-fixed-point-adaptive";

    private final int maxIterations;
    private final double tolerance;
    private final IterationObserver observer;

    /**
     * @param maxIterations K, the iteration cap (K+1 calls per step at most)
     * @param tolerance     relative iterate change at which a step stops, ≥ 0
     */
    public AdaptiveFixedPointInversion(int maxIterations, double tolerance) {
        this(maxIterations, tolerance, null);
    }

    private AdaptiveFixedPointInversion(int maxIterations, double tolerance, IterationObserver observer) {
        if (maxIterations < 0) {
            throw new IllegalArgumentException("fixed-point iterations K must be >= 0, got " + maxIterations);
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.observer = observer;
    }

    public AdaptiveFixedPointInversion withObserver(IterationObserver observer) {
        return new AdaptiveFixedPointInversion(maxIterations, tolerance, observer);
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxModelCalls(Schedule schedule) {
        return schedule.steps() * (maxIterations + 1);
    }

    /** Calls saved against the fixed-K method: {@code N·(K+1) − trajectory.modelCalls()}. */
    public int savedCalls(Trajectory trajectory) {
        return maxModelCalls(trajectory.schedule()) - trajectory.modelCalls();
    }

    @Override
    public Trajectory invert(VelocityField field, Tensor data, Schedule schedule, ProgressListener progress) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("K", Integer.toString(maxIterations));
        params.put("tolerance", Double.toString(tolerance));
        params.put("skipped_velocity", "last");
        return FixedPointCore.run(NAME, params, maxIterations, tolerance, observer, field, data, schedule, progress);
    }

    @Override
    public String toString() {
        return NAME + "(K=" + maxIterations + ", tol=" + tolerance + ")";
    }
}

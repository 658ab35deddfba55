package io.jmmdit.inversion;

import io.jmmdit.engine.Tensor;

/** An image → noise method over a velocity field: {@link EulerInversion}, {@link FixedPointInversion}, … */
public interface InversionMethod {

    /** Name recorded in the trajectory, e.g. {@code euler}. */
    String name();

    /**
     * Inverts {@code data} (the latent at σ_N = 0, shape [B, …]; not modified, not closed) along {@code schedule}.
     * Every velocity call gets {@link Phase#INVERSION} and the step's {@link StepInfo}.
     *
     * @param progress called after each of the N steps
     * @return the trajectory x*_0 … x*_N ({@code point(N)} is a copy of {@code data})
     */
    Trajectory invert(VelocityField field, Tensor data, Schedule schedule, ProgressListener progress);

    default Trajectory invert(VelocityField field, Tensor data, Schedule schedule) {
        return invert(field, data, schedule, ProgressListener.NONE);
    }

    /** Upper bound of model calls for this schedule (for a progress bar / cost estimate). */
    int maxModelCalls(Schedule schedule);
}

package io.jmmdit.inversion;

import io.jmmdit.engine.Tensor;

/**
 * Plain Euler sampling {@code x_{i+1} = x_i + (σ_{i+1} − σ_i)·v(x_i, σ_i)}, i = 0..N−1, on a batch (no compensation).
 * One model call per step.
 */
public final class EulerSampler {

    private final SamplingObserver observer;

    public EulerSampler() {
        this(null);
    }

    private EulerSampler(SamplingObserver observer) {
        this.observer = observer;
    }

    public EulerSampler withObserver(SamplingObserver observer) {
        return new EulerSampler(observer);
    }

    /**
     * @param start x_0, [B, …] (not modified, not closed)
     */
    public SamplingResult sample(VelocityField field, Tensor start, Schedule schedule, ProgressListener progress) {
        return SamplingLoop.run(field, start, schedule, null, null, observer, progress);
    }

    /** Plain sampling back from an inversion's noise end x*_0 along its schedule (a reconstruction without Stage II). */
    public SamplingResult sample(VelocityField field, Trajectory from, ProgressListener progress) {
        return sample(field, from.noise(), from.schedule(), progress);
    }
}

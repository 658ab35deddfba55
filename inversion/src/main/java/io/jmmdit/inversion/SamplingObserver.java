package io.jmmdit.inversion;

import io.jmmdit.engine.Tensor;

/** Sees every sampling step (diagnostics, golden comparisons). All tensors are borrowed: copy what you keep. */
@FunctionalInterface
public interface SamplingObserver {

    /**
     * @param info     the step ({@code step} = {@code sigmaIndex} = i)
     * @param x        x_i, the batch the velocity was evaluated at
     * @param velocity v(x_i, σ_i)
     * @param euler    x̂_{i+1} = x_i + (σ_{i+1} − σ_i)·v, before compensation
     * @param next     x_{i+1}: {@code euler} with the source rows set to x*_{i+1}
     */
    void onStep(StepInfo info, Tensor x, Tensor velocity, Tensor euler, Tensor next);
}

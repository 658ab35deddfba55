package io.jmmdit.inversion;

import io.jmmdit.engine.Tensor;

/**
 * Sees every fixed-point iteration of {@link FixedPointInversion} / {@link AdaptiveFixedPointInversion} (diagnostics,
 * tests, golden comparisons). All tensors are borrowed: copy what you keep.
 */
@FunctionalInterface
public interface IterationObserver {

    /**
     * @param info     the call's step info ({@code iteration} = i, {@code sigmaIndex} = k)
     * @param z        the iterate z^i the velocity was evaluated at (z^0 = x_{k+1})
     * @param velocity v_i = v(z^i, σ_k)
     * @param next     z^{i+1} = x_{k+1} + (σ_k − σ_{k+1})·v_i
     */
    void onIteration(StepInfo info, Tensor z, Tensor velocity, Tensor next);
}

package io.jmmdit.inversion;

import io.jmmdit.engine.Tensor;

/**
 * A (possibly conditioned, possibly guided) flow velocity {@code v(x, σ)}: the only thing inversion and sampling know of
 * the model. A model adapter decides the conditioning of every batch row, classifier-free guidance and controls; it
 * can read {@link StepInfo} to do so.
 *
 * <p>Contract: {@code x} has shape [B, …]; the field handles all B rows in one call (one call = one model
 * evaluation, which is what the methods count) and returns a <b>new</b> tensor of the same shape that the caller owns
 * (and closes). It must not modify or keep {@code x}.
 */
@FunctionalInterface
public interface VelocityField {

    /**
     * @param x     latents, [B, …]
     * @param sigma the noise level the velocity is evaluated at (0 = data, 1 = noise); the model's timestep is
     *              derived from it by the adapter (e.g. {@code 1000·σ})
     * @param step  where the call sits in the run
     */
    Tensor velocity(Tensor x, float sigma, StepInfo step);
}

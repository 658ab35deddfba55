package io.jmmdit.model.flux;

import io.jmmdit.engine.Tensor;

/**
 * One FLUX transformer call, named as diffusers' forward arguments (all borrowed).
 *
 * @param hiddenStates        packed image latents [B, L, in_channels]
 * @param encoderHiddenStates T5 features [B, T, joint_attention_dim]
 * @param pooledProjections   pooled CLIP vector [B, pooled_projection_dim]
 * @param timestep            σ ∈ [0, 1] per row (the model multiplies by 1000)
 * @param guidance            raw guidance scale per row (also × 1000 inside), or null for models without guidance
 * @param imgIds              [L, 3] = (0, row, col)
 * @param txtIds              [T, 3] zeros
 */
public record FluxInputs(Tensor hiddenStates, Tensor encoderHiddenStates, Tensor pooledProjections, float[] timestep,
                         float[] guidance, Tensor imgIds, Tensor txtIds) {
}

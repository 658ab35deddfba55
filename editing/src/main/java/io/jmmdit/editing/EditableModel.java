package io.jmmdit.editing;

import java.util.List;

import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.VelocityField;

/**
 * What the editors need from a text-to-image flow model, so that they know FLUX from SD3 only through this adapter:
 * the latent space, the schedule, prompt alignment, and a velocity field over a batch of rows conditioned on one
 * prompt each, with the invariance controls applied through the model's hook points. Prompts are encoded beforehand
 * (their text encoders can then be freed before the transformer loads).
 */
public interface EditableModel extends AutoCloseable {

    /** Alignment of the target prompt's text-feature rows to the source's (the rows the AdaLN map acts on). */
    TokenAlignment align(PromptEncoding source, PromptEncoding target);

    /**
     * Image [1, 3, H, W] in [−1, 1] → the model's latent (scaled, packed), [1, …]: the VAE posterior's mode, or a
     * sample drawn with {@code seed} when it is not null.
     */
    Tensor encodeImage(Tensor image, Long seed);

    /** Latents [B, …] → images [B, 3, H, W] in [−1, 1] (not clamped). */
    Tensor decodeLatent(Tensor latent);

    /** The sampling schedule for {@code steps} steps on latents like {@code latent}. */
    Schedule schedule(int steps, Tensor latent);

    /**
     * The velocity field over a batch whose row r is conditioned on {@code rows.get(r)}; controls act on the
     * {@link RowPair}s they hold during sampling steps only.
     */
    VelocityField field(List<PromptEncoding> rows, EditControls controls);

    @Override
    void close();
}

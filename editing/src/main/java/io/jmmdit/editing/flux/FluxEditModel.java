package io.jmmdit.editing.flux;

import java.util.List;

import io.jmmdit.editing.EditControls;
import io.jmmdit.editing.EditableModel;
import io.jmmdit.editing.PromptEncoding;
import io.jmmdit.editing.TokenAlignment;
import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.VelocityField;
import io.jmmdit.model.hooks.Hooks;
import io.jmmdit.model.pipeline.FluxPipeline;
import io.jmmdit.model.pipeline.FluxPrompt;
import io.jmmdit.model.pipeline.FluxPromptEncoder;

/**
 * FLUX as an {@link EditableModel}: packed VAE latents of one image size, FluxPipeline's schedule, the batch
 * [row prompts] through {@link FluxVelocityField} with FLUX.1's embedded guidance, and T5 token alignment for the
 * AdaLN map (FLUX's text stream is its T5 tokens).
 */
public final class FluxEditModel implements EditableModel {

    /** A prompt encoded by {@link FluxPromptEncoder}. */
    public record Prompt(String prompt, FluxPromptEncoder.Encoded encoded) implements PromptEncoding {
        @Override
        public void close() {
            encoded.close();
        }
    }

    private final FluxPipeline pipeline;
    private final int height;
    private final int width;
    private final float guidance;
    private final Hooks extra;

    /** @param extra hooks applied on every call (e.g. attention recording), or null */
    public FluxEditModel(FluxPipeline pipeline, int height, int width, float guidance, Hooks extra) {
        pipeline.latentSize(height, width);
        this.pipeline = pipeline;
        this.height = height;
        this.width = width;
        this.guidance = guidance;
        this.extra = extra;
    }

    public FluxPipeline pipeline() {
        return pipeline;
    }

    @Override
    public TokenAlignment align(PromptEncoding source, PromptEncoding target) {
        var s = ((Prompt) source).encoded().t5Tokens();
        var t = ((Prompt) target).encoded().t5Tokens();
        return TokenAlignment.align(s.ids(), s.length(), t.ids(), t.length(), t.ids().length);
    }

    @Override
    public Tensor encodeImage(Tensor image, Long seed) {
        return pipeline.encode(image, seed);
    }

    @Override
    public Tensor decodeLatent(Tensor latent) {
        return pipeline.decode(latent, height, width);
    }

    @Override
    public Schedule schedule(int steps, Tensor latent) {
        return Schedule.of(pipeline.schedule(steps, height, width).sigmas());
    }

    @Override
    public VelocityField field(List<PromptEncoding> rows, EditControls controls) {
        FluxPrompt batch = FluxPrompt.stack(rows.stream().map(r -> ((Prompt) r).encoded().prompt()).toList());
        return new FluxVelocityField(pipeline, batch, height, width, guidance, controls, extra);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}

package io.jmmdit.editing.flux;

import io.jmmdit.editing.EditControls;
import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.StepInfo;
import io.jmmdit.inversion.VelocityField;
import io.jmmdit.model.hooks.Hooks;
import io.jmmdit.model.pipeline.FluxPipeline;
import io.jmmdit.model.pipeline.FluxPrompt;

/**
 * The FLUX pipeline as a {@link VelocityField}: row r of the packed latent batch is conditioned on row r of
 * {@code prompts}; FLUX.1's guidance is embedded (no CFG). During sampling steps the invariance controls act through
 * the transformer's hook points: the AdaLN map on every double block's {@code norm1_context}, value injection on the
 * {@code attn.value} points that {@link InjectBlocks} selects. An {@code extra} hook set (e.g. attention recording;
 * may be null) applies to every call.
 */
public final class FluxVelocityField implements VelocityField {

    private static final String NORM1_CONTEXT = "transformer_blocks\\.\\d+\\.norm1_context";

    private final FluxPipeline pipeline;
    private final FluxPrompt prompts;
    private final int height;
    private final int width;
    private final float guidance;
    private final EditControls controls;
    private final String injectRegex;
    private final Hooks extra;

    /** @param prompts borrowed; one row per latent row */
    public FluxVelocityField(FluxPipeline pipeline, FluxPrompt prompts, int height, int width, float guidance, EditControls controls, Hooks extra) {
        this.pipeline = pipeline;
        this.prompts = prompts;
        this.height = height;
        this.width = width;
        this.guidance = guidance;
        this.controls = controls;
        this.injectRegex = controls.injection() == null ? null
                : InjectBlocks.parse(controls.injectBlocks(), pipeline.transformer().config()).regex();
        this.extra = extra;
    }

    @Override
    public Tensor velocity(Tensor x, float sigma, StepInfo step) {
        Hooks hooks = extra == null ? new Hooks() : extra.copy();
        if (step.isSampling() && controls.map() != null && step.withinFirst(controls.lyRatio())) {
            hooks.register(NORM1_CONTEXT, (name, m) -> controls.map().apply(m));
        }
        if (step.isSampling() && injectRegex != null && step.withinFirst(controls.attnRatio())) {
            hooks.register(injectRegex, (name, v) -> controls.injection().apply(v));
        }
        return pipeline.velocity(x, height, width, sigma, prompts, guidance, hooks.isEmpty() ? Hooks.NONE : hooks);
    }
}

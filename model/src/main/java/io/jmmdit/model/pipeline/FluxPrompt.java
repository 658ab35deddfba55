package io.jmmdit.model.pipeline;

import io.jmmdit.engine.Tensor;

/**
 * A batch of encoded prompts as the FLUX transformer takes them: T5 features (diffusers {@code prompt_embeds}) and the
 * pooled CLIP vector ({@code pooled_prompt_embeds}), one row per prompt. Owns its tensors.
 */
public record FluxPrompt(Tensor embeds, Tensor pooled) implements AutoCloseable {

    /** Rows of several prompts stacked into one batch (a new prompt owning copies). */
    public static FluxPrompt stack(java.util.List<FluxPrompt> rows) {
        Tensor[] e = rows.stream().map(FluxPrompt::embeds).toArray(Tensor[]::new);
        Tensor[] p = rows.stream().map(FluxPrompt::pooled).toArray(Tensor[]::new);
        return new FluxPrompt(Tensor.concat(0, e), Tensor.concat(0, p));
    }

    @Override
    public void close() {
        Tensor.closeAll(embeds, pooled);
    }
}

package io.jmmdit.cli;

import java.nio.file.Path;

import io.jmmdit.model.flux.FluxConfig;
import picocli.CommandLine.Option;

/** Options every FLUX command shares (picocli mixin). */
final class FluxOptions {

    @Option(names = "--model", required = true, description = "diffusers FLUX pipeline folder (model_index.json, transformer/, vae/, …).")
    Path model;

    @Option(names = "--steps", defaultValue = "28", description = "Sampling / inversion steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3.5", description = "Embedded guidance of FLUX.1-dev (ignored by models without it; default: ${DEFAULT-VALUE}).")
    float guidance;

    @Option(names = "--max-sequence-length", description = "T5 tokens (default: 512 for models with guidance embedding like FLUX.1-dev, 256 for schnell-style; the demo model needs 32).")
    Integer maxSequenceLength;

    @Option(names = "--streamed", description = "Convert the transformer's weights block by block when they run, for checkpoints larger than memory.")
    boolean streamed;

    /** diffusers' default T5 length for this transformer. */
    int maxSequenceLength(FluxConfig config) {
        if (maxSequenceLength != null) {
            if (maxSequenceLength < 1) {
                throw new IllegalArgumentException("--max-sequence-length must be >= 1, got " + maxSequenceLength);
            }
            return maxSequenceLength;
        }
        return config.guidanceEmbeds() ? 512 : 256;
    }

    void check() {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
    }
}

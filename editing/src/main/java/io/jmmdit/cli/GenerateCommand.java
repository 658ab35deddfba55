package io.jmmdit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.flux.FluxConfig;
import io.jmmdit.model.image.Images;
import io.jmmdit.model.noise.GaussianNoise;
import io.jmmdit.model.pipeline.FluxPipeline;
import io.jmmdit.model.pipeline.FluxPrompt;
import io.jmmdit.model.pipeline.FluxPromptEncoder;
import io.jmmdit.model.pipeline.Latents;
import io.jmmdit.model.scheduler.Schedule;
import io.jmmdit.weights.AtomicFiles;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.SafeTensorsWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jmmdit generate}: text (or prompt embeddings) → image with a FLUX pipeline folder. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Samples an image with a diffusers FLUX folder, from a prompt (tokenizers + text encoders) or from",
            "prompt embeddings (--embeddings: prompt_embeds, pooled_prompt_embeds), with seeded or given initial noise.",
            "The seeded noise is jmmdit's own generator: reproducible across runs and machines, not torch.randn."})
public final class GenerateCommand extends JmmditCommand {

    @Mixin
    FluxOptions flux;

    static final class Conditioning {
        @Option(names = "--prompt", description = "The prompt (CLIP and, unless --prompt-2, T5).")
        String prompt;

        @Option(names = "--embeddings", description = "safetensors with prompt_embeds [1,T,D] and pooled_prompt_embeds [1,P].")
        Path embeddings;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Conditioning conditioning;

    @Option(names = "--prompt-2", description = "T5 prompt (default: --prompt; not with --embeddings).")
    String prompt2;

    @Option(names = "--latents", description = "safetensors with latents_initial [1, L, C] (packed); overrides --seed.")
    Path latents;

    @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--height", description = "Image height (default: the VAE's sample_size).")
    Integer height;

    @Option(names = "--width", description = "Image width (default: the VAE's sample_size).")
    Integer width;

    @Option(names = "--out", required = true, description = "PNG to write (atomically; never over an input file).")
    Path out;

    @Option(names = "--save-latents", description = "Also write final_latents_packed, final_latents_unpacked and decoded (before clamping).")
    Path saveLatents;

    @Override
    protected int execute() throws Exception {
        flux.check();
        if (prompt2 != null && conditioning.embeddings != null) {
            throw new IllegalArgumentException("--prompt-2 needs --prompt (--embeddings already hold the T5 features)");
        }
        List<Path> inputs = inputs();
        AtomicFiles.refuseInputs(out, inputs);
        if (saveLatents != null) {
            AtomicFiles.refuseInputs(saveLatents, inputs);
        }
        FluxPrompt prompt = conditioning.embeddings != null ? readEmbeddings(conditioning.embeddings) : encodePrompt();
        try (prompt; FluxPipeline pipe = FluxPipeline.load(flux.model, flux.streamed)) {
            int h = height != null ? height : pipe.vae().config().sampleSize();
            int w = width != null ? width : pipe.vae().config().sampleSize();
            int[] hw = pipe.latentSize(h, w);
            Schedule schedule = pipe.schedule(flux.steps, h, w);
            try (Tensor initial = initialLatents(hw, pipe.transformer().config().inChannels());
                 Progress bar = new Progress("generate", flux.steps);
                 Tensor fin = pipe.sample(prompt, initial, h, w, schedule, flux.guidance, (i, n, x, v) -> bar.onProgress(i + 1, n));
                 Tensor decoded = pipe.decode(fin, h, w)) {
                Images.writePng(Images.fromTensor(decoded), out, Images.ExistingFile.REPLACE, inputs);
                if (saveLatents != null) {
                    Map<String, Tensor> m = new LinkedHashMap<>();
                    m.put("final_latents_packed", fin);
                    m.put("final_latents_unpacked", Latents.unpack(fin, hw[0], hw[1]));
                    m.put("decoded", decoded);
                    SafeTensorsWriter.write(saveLatents, m, Map.of("jmmdit.steps", String.valueOf(flux.steps)), inputs.toArray(Path[]::new));
                }
            }
            out().println("wrote " + out + " (" + w + "x" + h + ", " + flux.steps + " steps)");
        }
        return 0;
    }

    private List<Path> inputs() {
        List<Path> l = new java.util.ArrayList<>();
        if (conditioning.embeddings != null) {
            l.add(conditioning.embeddings);
        }
        if (latents != null) {
            l.add(latents);
        }
        return l;
    }

    private FluxPrompt encodePrompt() {
        FluxConfig config = FluxConfig.load(flux.model.resolve("transformer").resolve("config.json"));
        try (FluxPromptEncoder enc = FluxPromptEncoder.load(flux.model);
             FluxPromptEncoder.Encoded e = enc.encode(conditioning.prompt, prompt2, flux.maxSequenceLength(config))) {
            return new FluxPrompt(e.prompt().embeds().copy(), e.prompt().pooled().copy());
        }
    }

    private static FluxPrompt readEmbeddings(Path file) {
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            for (String n : new String[] {"prompt_embeds", "pooled_prompt_embeds"}) {
                if (!f.contains(n)) {
                    throw new IllegalArgumentException(file + ": no tensor '" + n + "' (expected prompt_embeds [1,T,D] and pooled_prompt_embeds [1,P])");
                }
            }
            return new FluxPrompt(f.tensor("prompt_embeds"), f.tensor("pooled_prompt_embeds"));
        }
    }

    private Tensor initialLatents(int[] hw, int packedChannels) {
        long tokens = (long) (hw[0] / 2) * (hw[1] / 2);
        if (latents == null) {
            try (Tensor noise = GaussianNoise.sample(seed, 1, packedChannels / 4, hw[0], hw[1])) {
                return Latents.pack(noise);
            }
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(latents)) {
            if (!f.contains("latents_initial")) {
                throw new IllegalArgumentException(latents + ": no tensor 'latents_initial'");
            }
            Tensor t = f.tensor("latents_initial");
            if (t.rank() != 3 || t.size(0) != 1 || t.size(1) != tokens || t.size(2) != packedChannels) {
                String found = t.shapeString();
                t.close();
                throw new IllegalArgumentException(latents + ": latents_initial has shape " + found + ", expected [1, " + tokens + ", "
                        + packedChannels + "] for this image size");
            }
            return t;
        }
    }
}

package io.jmmdit.model.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.flux.FluxInputs;
import io.jmmdit.model.flux.FluxTransformer;
import io.jmmdit.model.hooks.Hooks;
import io.jmmdit.model.noise.GaussianNoise;
import io.jmmdit.model.scheduler.FlowMatchEulerScheduler;
import io.jmmdit.model.scheduler.Schedule;
import io.jmmdit.model.scheduler.SchedulerConfig;
import io.jmmdit.model.vae.AutoencoderKL;
import io.jmmdit.model.vae.LatentDistribution;

/**
 * diffusers' FluxPipeline from prompt embeddings: a diffusers folder ({@code model_index.json}, {@code transformer/},
 * {@code vae/}, {@code scheduler/}), 2×2 latent packing, image and text position ids, Euler sampling and decoding.
 */
public final class FluxPipeline implements AutoCloseable {

    /** Step callback: step i done of n, with the latent after it and the velocity that produced it (borrowed). */
    public interface StepListener {
        StepListener NONE = (i, n, latents, velocity) -> { };

        void onStep(int i, int n, Tensor latents, Tensor velocity);
    }

    private final Path folder;
    private final FluxTransformer transformer;
    private final AutoencoderKL vae;
    private final FlowMatchEulerScheduler scheduler;

    public FluxPipeline(Path folder, FluxTransformer transformer, AutoencoderKL vae, FlowMatchEulerScheduler scheduler) {
        this.folder = folder;
        this.transformer = transformer;
        this.vae = vae;
        this.scheduler = scheduler;
    }

    public static FluxPipeline load(Path folder) throws IOException {
        return load(folder, false);
    }

    /**
     * Loads transformer, VAE and scheduler of a diffusers FLUX folder (text encoders: {@code FluxPromptEncoder}); a
     * missing component is named. {@code streamed}: transformer blocks are converted from the mapped checkpoint when
     * they run, for checkpoints larger than memory.
     */
    public static FluxPipeline load(Path folder, boolean streamed) throws IOException {
        Path index = folder.resolve("model_index.json");
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(folder + ": not a diffusers pipeline folder (no model_index.json)");
        }
        JsonNode mi = new ObjectMapper().readTree(index.toFile());
        List<String> missing = new ArrayList<>();
        for (String c : List.of("transformer", "vae", "scheduler")) {
            JsonNode e = mi.get(c);
            if (e == null || !e.isArray() || e.get(0).isNull() || !Files.isDirectory(folder.resolve(c))) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(folder + ": FLUX pipeline is missing component(s) " + String.join(", ", missing)
                    + " (model_index.json entry or folder)");
        }
        FlowMatchEulerScheduler scheduler = new FlowMatchEulerScheduler(SchedulerConfig.fromJson(folder.resolve("scheduler/scheduler_config.json")));
        FluxTransformer transformer = FluxTransformer.load(folder.resolve("transformer"), null, streamed);
        try {
            return new FluxPipeline(folder, transformer, AutoencoderKL.load(folder.resolve("vae")), scheduler);
        } catch (RuntimeException e) {
            transformer.close();
            throw e;
        }
    }

    public Path folder() {
        return folder;
    }

    public FluxTransformer transformer() {
        return transformer;
    }

    public AutoencoderKL vae() {
        return vae;
    }

    public FlowMatchEulerScheduler scheduler() {
        return scheduler;
    }

    /** Latent grid size (unpacked) for an image of {@code height}×{@code width} pixels: 2·(H / (2·vae factor)). */
    public int[] latentSize(int height, int width) {
        int f = vae.spatialFactor();
        if (height % (2 * f) != 0 || width % (2 * f) != 0) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " must be a multiple of " + 2 * f
                    + " (2 × the VAE's factor " + f + ")");
        }
        return new int[] {height / f, width / f};
    }

    /** The schedule FluxPipeline uses for {@code steps} steps at this image size (dynamic shift from the token count). */
    public Schedule schedule(int steps, int height, int width) {
        int[] hw = latentSize(height, width);
        return scheduler.fluxSchedule(steps, (long) (hw[0] / 2) * (hw[1] / 2));
    }

    /**
     * One transformer call: the velocity at {@code sigma} for packed latents [B, L, C] of {@code height}×{@code width}
     * images with per-row prompts
     * {@code prompts} ([B, T, D] embeddings, [B, P] pooled).
     */
    public Tensor velocity(Tensor packed, int height, int width, float sigma, FluxPrompt prompts, float guidance, Hooks hooks) {
        int b = (int) packed.size(0);
        if (prompts.embeds().size(0) != b) {
            throw new IllegalArgumentException("latents have " + b + " rows but prompt embeddings " + prompts.embeds().size(0));
        }
        int[] hw = latentSize(height, width);
        int[] grid = {hw[0] / 2, hw[1] / 2};
        float[] t = new float[b];
        float[] g = transformer.config().guidanceEmbeds() ? new float[b] : null;
        for (int i = 0; i < b; i++) {
            t[i] = sigma;
            if (g != null) {
                g[i] = guidance;
            }
        }
        try (Tensor imgIds = Latents.imageIds(grid[0], grid[1]);
             Tensor txtIds = Latents.textIds((int) prompts.embeds().size(1))) {
            return transformer.forward(new FluxInputs(packed, prompts.embeds(), prompts.pooled(), t, g, imgIds, txtIds), hooks);
        }
    }

    /** Sampling from packed {@code initial} latents (FluxPipeline.__call__ with output_type="latent"). */
    public Tensor sample(FluxPrompt prompt, Tensor initial, int height, int width, Schedule schedule, float guidance, StepListener listener) {
        Tensor x = initial.copy();
        for (int i = 0; i < schedule.numSteps(); i++) {
            float sigma = (float) (schedule.timestep(i) / 1000.0);
            try (Tensor v = velocity(x, height, width, sigma, prompt, guidance, Hooks.NONE)) {
                Tensor next = schedule.step(i, v, x);
                x.close();
                x = next;
                listener.onStep(i, schedule.numSteps(), x, v);
            }
        }
        return x;
    }

    /** Packed latents → image [B, 3, H, W] in [−1, 1] (before clamping): unpack, un-scale, decode. */
    public Tensor decode(Tensor packed, int height, int width) {
        int[] hw = latentSize(height, width);
        try (Tensor unpacked = Latents.unpack(packed, hw[0], hw[1]);
             Tensor z = vae.fromLatent(unpacked)) {
            return vae.decode(z);
        }
    }

    /**
     * Image [1, 3, H, W] in [−1, 1] → packed latent with FLUX's scaling: the posterior's mode, or with {@code seed}
     * (may be null) a posterior sample mean + std·ε from {@link GaussianNoise}.
     */
    public Tensor encode(Tensor image, Long seed) {
        try (LatentDistribution d = vae.encode(image);
             Tensor z = seed == null ? d.mode().copy() : sample(d, seed);
             Tensor scaled = vae.toLatent(z)) {
            return Latents.pack(scaled);
        }
    }

    private static Tensor sample(LatentDistribution d, long seed) {
        try (Tensor eps = GaussianNoise.sample(seed, d.mean().shape())) {
            return d.sample(eps);
        }
    }

    @Override
    public void close() {
        transformer.close();
        vae.close();
    }
}

package io.jmmdit.model.vae;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.WeightSource;
import io.jmmdit.weights.WeightsException;

/**
 * diffusers {@code AutoencoderKL} (SD, SDXL, SD3, FLUX.1 VAEs) in float32.
 *
 * <p>The VAE itself applies no latent scaling; {@link #toLatent} and {@link #fromLatent} apply the FLUX/SD3 pipeline
 * convention {@code (z − shift)·scale} / {@code latent/scale + shift} (shift 0 for SD/SDXL).
 *
 * <p>Every weight is copied into engine memory at load time, so the checkpoint file is closed before {@link #load}
 * returns. Close the model to free them.
 */
public final class AutoencoderKL implements AutoCloseable {

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "diffusion_pytorch_model.safetensors";

    private final VaeConfig config;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv quantConv;
    private final Conv postQuantConv;

    private AutoencoderKL(VaeConfig config, VaeWeights w) {
        this.config = config;
        this.encoder = new Encoder(w, config);
        this.decoder = new Decoder(w, config);
        int l = config.latentChannels();
        this.quantConv = config.useQuantConv() ? Conv.load(w, "quant_conv", 2 * l, 2 * l, 1) : null;
        this.postQuantConv = config.usePostQuantConv() ? Conv.load(w, "post_quant_conv", l, l, 1) : null;
    }

    /**
     * Loads a diffusers component folder ({@value #CONFIG_FILE} + {@value #WEIGHTS_FILE}), e.g. {@code FLUX.1-dev/vae}.
     *
     * @throws WeightsException naming the missing file, a missing tensor, or a tensor whose shape differs from the
     *                          config's (expected vs found), or tensors the config does not use
     */
    public static AutoencoderKL load(Path componentFolder) {
        Path cfg = componentFolder.resolve(CONFIG_FILE);
        Path weights = componentFolder.resolve(WEIGHTS_FILE);
        for (Path p : new Path[] {cfg, weights}) {
            if (!Files.isRegularFile(p)) {
                throw new WeightsException(p + ": missing (an AutoencoderKL folder needs " + CONFIG_FILE + " and " + WEIGHTS_FILE + ")");
            }
        }
        VaeConfig config = VaeConfig.load(cfg);
        try (SafeTensorsFile f = SafeTensorsFile.open(weights)) {
            return load(config, f);
        }
    }

    /**
     * Builds the VAE from {@code weights} in diffusers naming ({@code encoder.*}, {@code decoder.*}, optional
     * {@code quant_conv.*}/{@code post_quant_conv.*}). The source may be closed afterwards.
     */
    public static AutoencoderKL load(VaeConfig config, WeightSource weights) {
        VaeWeights w = new VaeWeights(weights);
        AutoencoderKL vae = new AutoencoderKL(config, w);
        try {
            w.checkAllUsed("");
        } catch (WeightsException e) {
            vae.close();
            throw e;
        }
        return vae;
    }

    public VaeConfig config() {
        return config;
    }

    /** Pixels per latent position along each axis: 2^(len(block_out_channels) − 1). */
    public int spatialFactor() {
        return config.spatialFactor();
    }

    public Encoder encoder() {
        return encoder;
    }

    public Decoder decoder() {
        return decoder;
    }

    // ---- encode / decode ----------------------------------------------------------------------------------------

    /** The posterior of {@code image} [N, in_channels, H, W] with values in [−1, 1]. The image is not closed. */
    public LatentDistribution encode(Tensor image) {
        return encode(image, Probe.NONE);
    }

    /** {@link #encode(Tensor)} capturing the intermediates {@code capture} accepts into {@code sink} (see {@link Encoder}). */
    public LatentDistribution encode(Tensor image, Predicate<String> capture, Map<String, Tensor> sink) {
        return encode(image, Probe.of(capture, sink));
    }

    public LatentDistribution encode(Tensor image, Probe probe) {
        checkInput("image", image, config.inChannels());
        Tensor moments = encoder.forward(image, probe);
        if (quantConv != null) {
            Tensor q = quantConv.forward(moments);
            moments.close();
            moments = q;
            probe.offer("quant_conv_out", moments);
        }
        LatentDistribution d;
        try (Tensor m = moments) {
            d = LatentDistribution.fromMoments(m);
        }
        probe.offer("latent_dist_mean", d.mean());
        probe.offer("latent_dist_logvar", d.logvar());
        if (probe.wants("latent_dist_std")) {
            try (Tensor s = d.std()) {
                probe.offer("latent_dist_std", s);
            }
        }
        return d;
    }

    /** Decodes an unscaled VAE latent z [N, latent_channels, h, w] to an image [N, out_channels, h·s, w·s] (unclamped). */
    public Tensor decode(Tensor z) {
        return decode(z, Probe.NONE);
    }

    /** {@link #decode(Tensor)} capturing the intermediates {@code capture} accepts into {@code sink} (see {@link Decoder}). */
    public Tensor decode(Tensor z, Predicate<String> capture, Map<String, Tensor> sink) {
        return decode(z, Probe.of(capture, sink));
    }

    public Tensor decode(Tensor z, Probe probe) {
        checkInput("latent", z, config.latentChannels());
        if (postQuantConv == null) {
            return decoder.forward(z, probe);
        }
        try (Tensor p = postQuantConv.forward(z)) {
            probe.offer("post_quant_conv_out", p);
            return decoder.forward(p, probe);
        }
    }

    // ---- pipeline latent scaling --------------------------------------------------------------------------------

    /** VAE latent → diffusion latent: (z − shift_factor)·scaling_factor (a new tensor). */
    public Tensor toLatent(Tensor z) {
        try (Tensor s = z.add((float) -config.shiftFactor())) {
            return s.mul((float) config.scalingFactor());
        }
    }

    /** Diffusion latent → VAE latent: latent/scaling_factor + shift_factor (a new tensor). */
    public Tensor fromLatent(Tensor latent) {
        try (Tensor s = latent.mul((float) (1.0 / config.scalingFactor()))) {
            return s.add((float) config.shiftFactor());
        }
    }

    // ---- tracing ------------------------------------------------------------------------------------------------

    /**
     * Runs what the inputs allow: {@code image} → {@code latent_dist_mean}, {@code latent_dist_logvar};
     * {@code latent} (unscaled VAE latent) → {@code decoded}; both when both are present. Intermediates whose names
     * {@code capture} accepts are added (names in {@link Encoder} and {@link Decoder}, plus {@code latent_dist_std},
     * {@code quant_conv_out}, {@code post_quant_conv_out}). The caller owns (and should close) the returned tensors.
     */
    public Map<String, Tensor> trace(Map<String, Tensor> inputs, Predicate<String> capture) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Predicate<String> want = capture == null ? n -> false : capture;
        boolean any = false;
        if (inputs.containsKey("image")) {
            any = true;
            try (LatentDistribution d = encode(inputs.get("image"), Probe.of(want, out))) {
                out.computeIfAbsent("latent_dist_mean", k -> d.mean().copy());
                out.computeIfAbsent("latent_dist_logvar", k -> d.logvar().copy());
            }
        }
        if (inputs.containsKey("latent")) {
            any = true;
            Tensor decoded = decode(inputs.get("latent"), Probe.of(want, out));
            Tensor old = out.put("decoded", decoded);
            if (old != null) {
                old.close();
            }
        }
        if (!any) {
            throw new IllegalArgumentException("VAE trace needs an 'image' and/or a 'latent' input, got " + inputs.keySet());
        }
        return out;
    }

    private static void checkInput(String what, Tensor x, int channels) {
        if (x.rank() != 4 || x.size(1) != channels) {
            throw new IllegalArgumentException("VAE " + what + " must be [N, " + channels + ", H, W], got " + x.shapeString());
        }
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
        if (quantConv != null) {
            quantConv.close();
        }
        if (postQuantConv != null) {
            postQuantConv.close();
        }
    }

}

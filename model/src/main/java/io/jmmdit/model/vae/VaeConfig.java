package io.jmmdit.model.vae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.weights.WeightsException;

/**
 * The fields of a diffusers {@code AutoencoderKL} config.json that determine the network, with diffusers' defaults for
 * absent keys. {@code shift_factor: null} (SD 1.x/SDXL) becomes 0.
 *
 * @param inChannels           image channels (3)
 * @param outChannels          decoded channels (3)
 * @param blockOutChannels     encoder block widths; the decoder uses them reversed
 * @param layersPerBlock       resnets per encoder block (decoder blocks have one more)
 * @param latentChannels       4 (SD/SDXL) or 16 (SD3/FLUX)
 * @param normNumGroups        GroupNorm groups everywhere
 * @param scalingFactor        latent scale applied by the pipeline, not by the VAE
 * @param shiftFactor          latent shift applied by the pipeline (0 when null)
 * @param useQuantConv         1×1 conv on the moments after the encoder (SD/SDXL)
 * @param usePostQuantConv     1×1 conv on z before the decoder (SD/SDXL)
 * @param midBlockAddAttention whether both mid blocks have the self-attention layer
 * @param sampleSize           nominal image size (informational)
 */
public record VaeConfig(int inChannels, int outChannels, List<Integer> blockOutChannels, int layersPerBlock,
                        int latentChannels, int normNumGroups, double scalingFactor, double shiftFactor,
                        boolean useQuantConv, boolean usePostQuantConv, boolean midBlockAddAttention, int sampleSize) {

    /** GroupNorm epsilon of every VAE norm (diffusers hard-codes 1e-6 in Encoder/Decoder). */
    public static final double NORM_EPS = 1e-6;
    /** diffusers' DiagonalGaussianDistribution clamps logvar to this range. */
    public static final float LOGVAR_MIN = -30f;
    public static final float LOGVAR_MAX = 20f;

    private static final ObjectMapper JSON = new ObjectMapper();

    public VaeConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        if (blockOutChannels.isEmpty()) {
            throw new IllegalArgumentException("block_out_channels is empty");
        }
        for (int c : blockOutChannels) {
            if (c <= 0 || c % normNumGroups != 0) {
                throw new IllegalArgumentException("block_out_channels " + blockOutChannels + " not divisible by norm_num_groups " + normNumGroups);
            }
        }
        if (inChannels <= 0 || outChannels <= 0 || latentChannels <= 0 || layersPerBlock <= 0) {
            throw new IllegalArgumentException("non-positive channel/layer count in VAE config");
        }
        if (scalingFactor == 0 || !Double.isFinite(scalingFactor) || !Double.isFinite(shiftFactor)) {
            throw new IllegalArgumentException("bad scaling_factor " + scalingFactor + " / shift_factor " + shiftFactor);
        }
    }

    /** Spatial down-sampling factor of the encoder: 2^(len(block_out_channels) − 1) (8 for SD/SDXL/SD3/FLUX). */
    public int spatialFactor() {
        return 1 << (blockOutChannels.size() - 1);
    }

    /** Reads a diffusers config.json. */
    public static VaeConfig load(Path configJson) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(configJson));
        } catch (IOException e) {
            throw new WeightsException(configJson + ": cannot read VAE config (" + e.getMessage().split("\n")[0] + ")", e);
        }
        try {
            return fromJson(n);
        } catch (IllegalArgumentException e) {
            throw new WeightsException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** Parses a config.json tree (diffusers defaults for absent keys). */
    public static VaeConfig fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("VAE config is not a JSON object");
        }
        String cls = text(n, "_class_name", "AutoencoderKL");
        if (!cls.equals("AutoencoderKL")) {
            throw new IllegalArgumentException("_class_name is " + cls + ", expected AutoencoderKL");
        }
        String act = text(n, "act_fn", "silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("act_fn " + act + " is not supported (only silu)");
        }
        List<Integer> blocks = new ArrayList<>();
        JsonNode b = n.get("block_out_channels");
        if (b == null || b.isNull()) {
            blocks.add(64);
        } else {
            b.forEach(x -> blocks.add(x.asInt()));
        }
        checkBlockTypes(n, "down_block_types", "DownEncoderBlock2D", blocks.size());
        checkBlockTypes(n, "up_block_types", "UpDecoderBlock2D", blocks.size());
        return new VaeConfig(
                n.path("in_channels").asInt(3),
                n.path("out_channels").asInt(3),
                blocks,
                n.path("layers_per_block").asInt(1),
                n.path("latent_channels").asInt(4),
                n.path("norm_num_groups").asInt(32),
                n.hasNonNull("scaling_factor") ? n.get("scaling_factor").asDouble() : 0.18215,
                n.hasNonNull("shift_factor") ? n.get("shift_factor").asDouble() : 0.0,
                n.hasNonNull("use_quant_conv") ? n.get("use_quant_conv").asBoolean() : true,
                n.hasNonNull("use_post_quant_conv") ? n.get("use_post_quant_conv").asBoolean() : true,
                n.hasNonNull("mid_block_add_attention") ? n.get("mid_block_add_attention").asBoolean() : true,
                n.path("sample_size").asInt(32));
    }

    private static void checkBlockTypes(JsonNode n, String key, String expected, int count) {
        JsonNode t = n.get(key);
        if (t == null || t.isNull()) {
            return;
        }
        if (t.size() != count) {
            throw new IllegalArgumentException(key + " has " + t.size() + " entries but block_out_channels has " + count);
        }
        for (JsonNode x : t) {
            if (!x.asText().equals(expected)) {
                throw new IllegalArgumentException(key + " contains " + x.asText() + "; only " + expected + " is supported");
            }
        }
    }

    private static String text(JsonNode n, String key, String def) {
        return n.hasNonNull(key) ? n.get(key).asText() : def;
    }
}

package io.jmmdit.model.flux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** diffusers FluxTransformer2DModel configuration ({@code config.json}). */
public record FluxConfig(int patchSize, int inChannels, int outChannels, int numLayers, int numSingleLayers,
                         int attentionHeadDim, int numAttentionHeads, int jointAttentionDim, int pooledProjectionDim,
                         boolean guidanceEmbeds, int[] axesDimsRope) {

    /** RoPE base θ. */
    public static final double THETA = 10000;
    /** ε of every LayerNorm and RMSNorm in the model. */
    public static final double EPS = 1e-6;
    /** Width of the timestep / guidance sinusoids. */
    public static final int TIME_PROJ_DIM = 256;

    public FluxConfig {
        if (Arrays.stream(axesDimsRope).sum() != attentionHeadDim) {
            throw new IllegalArgumentException("axes_dims_rope " + Arrays.toString(axesDimsRope) + " must sum to attention_head_dim " + attentionHeadDim);
        }
    }

    /** inner dimension D = heads × head_dim. */
    public int innerDim() {
        return numAttentionHeads * attentionHeadDim;
    }

    public static FluxConfig load(Path configJson) {
        try {
            return parse(new ObjectMapper().readTree(configJson.toFile()), configJson.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(configJson + ": cannot read FLUX config (" + e.getMessage() + ")", e);
        }
    }

    static FluxConfig parse(JsonNode n, String source) {
        int in = req(n, "in_channels", source);
        JsonNode out = n.get("out_channels");
        JsonNode axes = n.get("axes_dims_rope");
        if (axes == null || !axes.isArray() || axes.size() != 3) {
            throw new IllegalArgumentException(source + ": axes_dims_rope must be a list of 3 integers");
        }
        return new FluxConfig(n.path("patch_size").asInt(1), in, out == null || out.isNull() ? in : out.asInt(),
                req(n, "num_layers", source), req(n, "num_single_layers", source), req(n, "attention_head_dim", source),
                req(n, "num_attention_heads", source), req(n, "joint_attention_dim", source), req(n, "pooled_projection_dim", source),
                n.path("guidance_embeds").asBoolean(false), new int[] {axes.get(0).asInt(), axes.get(1).asInt(), axes.get(2).asInt()});
    }

    private static int req(JsonNode n, String key, String source) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(source + ": missing integer '" + key + "'");
        }
        return v.asInt();
    }

    @Override
    public String toString() {
        return "FluxConfig{layers=" + numLayers + "+" + numSingleLayers + ", heads=" + numAttentionHeads + "x" + attentionHeadDim
                + ", in=" + inChannels + ", joint=" + jointAttentionDim + ", pooled=" + pooledProjectionDim + ", guidance=" + guidanceEmbeds
                + ", axes=" + Arrays.toString(axesDimsRope) + "}";
    }
}

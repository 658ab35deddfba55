package io.jmmdit.model.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.weights.WeightsException;

/**
 * transformers' {@code T5Config}, encoder fields. {@code dense_act_fn}/{@code is_gated_act} are derived from
 * {@code feed_forward_proj} as {@code T5Config.__init__} does ({@code "gated-gelu"} → {@code gelu_new}, gated), and
 * overridden by explicit keys in config.json (transformers applies leftover kwargs last).
 */
public record T5Config(int vocabSize, int dModel, int dKv, int numHeads, int dFf, int numLayers,
                       int relativeAttentionNumBuckets, int relativeAttentionMaxDistance, double layerNormEpsilon,
                       String feedForwardProj, String denseActFn, boolean isGatedAct) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public T5Config {
        Act.of(denseActFn);
    }

    public int innerDim() {
        return numHeads * dKv;
    }

    public static T5Config load(Path configJson) {
        try {
            return parse(Files.readString(configJson));
        } catch (IOException e) {
            throw new WeightsException(configJson + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static T5Config parse(String json) {
        JsonNode c;
        try {
            c = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("T5 config is not valid JSON: " + e.getMessage(), e);
        }
        String ffp = c.path("feed_forward_proj").asText("relu");
        String[] info = ffp.split("-");
        if (info.length > 2 || (info.length == 2 && !info[0].equals("gated"))) {
            throw new IllegalArgumentException("feed_forward_proj '" + ffp + "' is not '{ACT_FN}' or 'gated-{ACT_FN}'");
        }
        String act = info[info.length - 1];
        boolean gated = info[0].equals("gated");
        if (ffp.equals("gated-gelu")) {
            act = "gelu_new";
        }
        if (c.has("dense_act_fn")) {
            act = c.get("dense_act_fn").asText();
        }
        if (c.has("is_gated_act")) {
            gated = c.get("is_gated_act").asBoolean();
        }
        return new T5Config(
                c.path("vocab_size").asInt(32128),
                c.path("d_model").asInt(512),
                c.path("d_kv").asInt(64),
                c.path("num_heads").asInt(8),
                c.path("d_ff").asInt(2048),
                c.path("num_layers").asInt(6),
                c.path("relative_attention_num_buckets").asInt(32),
                c.path("relative_attention_max_distance").asInt(128),
                c.path("layer_norm_epsilon").asDouble(1e-6),
                ffp, act, gated);
    }
}

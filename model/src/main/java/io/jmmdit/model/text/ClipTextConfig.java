package io.jmmdit.model.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.weights.WeightsException;

/**
 * transformers' {@code CLIPTextConfig} (the fields the text tower uses). Defaults are transformers' defaults. A full
 * {@code CLIPConfig} is accepted too (its {@code text_config} is read).
 *
 * @param hiddenAct   {@code quick_gelu} (CLIP-L), {@code gelu} (erf; OpenCLIP bigG), {@code gelu_new}/{@code gelu_pytorch_tanh}
 * @param eosTokenId  config value; {@code 2} is the legacy value that selects the argmax pooling rule
 * @param withProjection architectures name {@code CLIPTextModelWithProjection} (the model also checks for the weight)
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                             int maxPositionEmbeddings, String hiddenAct, double layerNormEps, int projectionDim,
                             int bosTokenId, int eosTokenId, int padTokenId, boolean withProjection) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ClipTextConfig {
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " not divisible by num_attention_heads " + numAttentionHeads);
        }
        Act.of(hiddenAct);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    public static ClipTextConfig load(Path configJson) {
        try {
            return parse(Files.readString(configJson));
        } catch (IOException e) {
            throw new WeightsException(configJson + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static ClipTextConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("CLIP text config is not valid JSON: " + e.getMessage(), e);
        }
        boolean proj = false;
        JsonNode arch = root.get("architectures");
        if (arch != null && arch.isArray()) {
            for (JsonNode a : arch) {
                proj |= a.asText().equals("CLIPTextModelWithProjection");
            }
        }
        JsonNode c = root.has("text_config") && root.get("text_config").isObject() ? root.get("text_config") : root;
        return new ClipTextConfig(
                c.path("vocab_size").asInt(49408),
                c.path("hidden_size").asInt(512),
                c.path("intermediate_size").asInt(2048),
                c.path("num_hidden_layers").asInt(12),
                c.path("num_attention_heads").asInt(8),
                c.path("max_position_embeddings").asInt(77),
                c.path("hidden_act").asText("quick_gelu"),
                c.path("layer_norm_eps").asDouble(1e-5),
                c.path("projection_dim").asInt(root.path("projection_dim").asInt(512)),
                c.path("bos_token_id").asInt(49406),
                c.path("eos_token_id").asInt(49407),
                c.path("pad_token_id").asInt(1),
                proj);
    }
}

package io.jmmdit.model.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.jmmdit.engine.Attention;
import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Norms;
import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.WeightSource;
import io.jmmdit.weights.WeightsException;

/**
 * The CLIP text tower: transformers' {@code CLIPTextModel} / {@code CLIPTextModelWithProjection} (FLUX.1
 * {@code text_encoder}; SD3 {@code text_encoder} and {@code text_encoder_2}).
 *
 * <p>Token + position embeddings, causal self-attention (always on), pre-LN encoder layers, {@code final_layer_norm}.
 * Pooling follows transformers: config {@code eos_token_id == 2} (legacy) → first position of the largest id in
 * the row; otherwise the first position holding {@code eos_token_id} (0 if none). With a {@code text_projection.weight}
 * present, {@code text_embeds = pooled · Wᵀ} (no bias, not normalised).
 *
 * <p>Weight names as transformers saves them, with or without the {@code text_model.} prefix.
 */
public final class ClipTextModel implements AutoCloseable {

    private static final List<String> LAYER_TENSORS = List.of(
            "layer_norm1.weight", "layer_norm1.bias",
            "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight", "self_attn.k_proj.bias",
            "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "layer_norm2.weight", "layer_norm2.bias",
            "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias");

    private final ClipTextConfig config;
    private final WeightSource source;
    private final boolean ownsSource;
    private final Residency residency;
    private final String prefix;
    private final UnaryOperator<Tensor> act;
    private final Tensor positionEmbedding;
    private final Tensor finalNormWeight;
    private final Tensor finalNormBias;
    private final Tensor projection;
    private final TextWeights.Layer[] layers;
    private boolean closed;

    private ClipTextModel(ClipTextConfig config, WeightSource source, boolean ownsSource, Residency residency) {
        this.config = config;
        this.source = source;
        this.ownsSource = ownsSource;
        this.residency = residency;
        this.act = Act.of(config.hiddenAct());
        if (source.contains("text_model.embeddings.token_embedding.weight")) {
            prefix = "text_model.";
        } else if (source.contains("embeddings.token_embedding.weight")) {
            prefix = "";
        } else {
            throw new WeightsException(source.describe() + ": no CLIP text embedding ('text_model.embeddings.token_embedding.weight')");
        }
        checkShape(prefix + "embeddings.token_embedding.weight", config.vocabSize(), config.hiddenSize());
        checkShape(prefix + "embeddings.position_embedding.weight", config.maxPositionEmbeddings(), config.hiddenSize());
        List<Tensor> small = new ArrayList<>();
        try {
            positionEmbedding = track(small, source.tensor(prefix + "embeddings.position_embedding.weight"));
            finalNormWeight = track(small, source.tensor(prefix + "final_layer_norm.weight"));
            finalNormBias = track(small, source.tensor(prefix + "final_layer_norm.bias"));
            String proj = source.contains("text_projection.weight") ? "text_projection.weight"
                    : source.contains(prefix + "text_projection.weight") ? prefix + "text_projection.weight" : null;
            if (proj == null && config.withProjection()) {
                throw new WeightsException(source.describe() + ": config says CLIPTextModelWithProjection but there is no text_projection.weight");
            }
            projection = proj == null ? null : track(small, source.tensor(proj));
            if (projection != null && projection.size(1) != config.hiddenSize()) {
                throw new WeightsException(source.describe() + ": text_projection.weight " + projection.shapeString() + " does not take hidden size " + config.hiddenSize());
            }
            layers = new TextWeights.Layer[config.numHiddenLayers()];
            for (int i = 0; i < layers.length; i++) {
                if (!source.contains(layerPrefix(i) + "layer_norm1.weight")) {
                    throw new WeightsException(source.describe() + ": missing encoder layer " + i + " of " + layers.length);
                }
                if (residency == Residency.RESIDENT) {
                    layers[i] = TextWeights.Layer.load(source, layerPrefix(i), LAYER_TENSORS);
                }
            }
        } catch (RuntimeException e) {
            small.forEach(Tensor::close);
            throw e;
        }
    }

    private static Tensor track(List<Tensor> l, Tensor t) {
        l.add(t);
        return t;
    }

    private void checkShape(String name, long... shape) {
        long[] s = source.info(name).shape();
        if (!java.util.Arrays.equals(s, shape)) {
            throw new WeightsException(source.describe() + ": '" + name + "' has shape " + java.util.Arrays.toString(s)
                    + ", config expects " + java.util.Arrays.toString(shape));
        }
    }

    /** Loads {@code folder/config.json} and the folder's safetensors (single file or sharded index). */
    public static ClipTextModel load(Path folder, Residency residency) {
        ClipTextConfig cfg = ClipTextConfig.load(folder.resolve("config.json"));
        WeightSource src = TextWeights.openFolder(folder);
        try {
            return new ClipTextModel(cfg, src, true, residency);
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** Over an open source, which stays the caller's to close (after this model). */
    public static ClipTextModel load(ClipTextConfig config, WeightSource source, Residency residency) {
        return new ClipTextModel(config, source, false, residency);
    }

    public ClipTextConfig config() {
        return config;
    }

    public Residency residency() {
        return residency;
    }

    /** True when the weights hold a {@code text_projection} (CLIPTextModelWithProjection): outputs carry textEmbeds. */
    public boolean hasProjection() {
        return projection != null;
    }

    /** Encodes token ids [B][T] (T ≤ max_position_embeddings) with the causal mask only, as FLUX and SD3 call it. */
    public TextEncoderOutput encode(int[][] ids) {
        return encode(ids, null);
    }

    /** As {@link #encode(int[][])}, additionally masking keys where {@code attentionMask[b][t] == 0} (null: none). */
    public TextEncoderOutput encode(int[][] ids, int[][] attentionMask) {
        return forward(ids, attentionMask, Capture.NONE);
    }

    /** Ids as a float tensor [B, T] (or [T]). */
    public TextEncoderOutput encode(Tensor ids) {
        return encode(TextWeights.idsOf(ids));
    }

    /**
     * Runs on {@code inputs["input_ids"]} (float [B, T]) without attention mask and returns the captured tensors among
     * {@code hidden_states.0..N} (embeddings, then each layer's output, before the final norm),
     * {@code penultimate_hidden_state}, {@code last_hidden_state}, {@code pooled_index}, {@code pooler_output} and
     * {@code text_embeds}. If {@code inputs} has {@code attention_mask}, a second, masked run writes the same names
     * prefixed {@code masked.} (as the golden files name them).
     */
    public Map<String, Tensor> trace(Map<String, Tensor> inputs, Predicate<String> capture) {
        return Capture.trace(inputs, capture, traceNames(), this::forward);
    }

    /** Every name {@link #trace} can write for an unmasked run (a masked run adds the same names prefixed {@code masked.}). */
    public List<String> traceNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= config.numHiddenLayers(); i++) {
            names.add("hidden_states." + i);
        }
        names.addAll(List.of("penultimate_hidden_state", "last_hidden_state", "pooled_index", "pooler_output"));
        if (projection != null) {
            names.add("text_embeds");
        }
        return names;
    }

    private String layerPrefix(int i) {
        return prefix + "encoder.layers." + i + ".";
    }

    private TextEncoderOutput forward(int[][] ids, int[][] attentionMask, Capture cap) {
        if (closed) {
            throw new IllegalStateException("CLIP text model is closed");
        }
        TextWeights.checkIds(ids, "CLIP text");
        int b = ids.length;
        int t = ids[0].length;
        if (t > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("CLIP text: " + t + " tokens exceed max_position_embeddings " + config.maxPositionEmbeddings());
        }
        if (attentionMask != null && (attentionMask.length != b || attentionMask[0].length != t)) {
            throw new IllegalArgumentException("CLIP text: attention mask shape differs from ids");
        }
        Tensor x;
        try (Tensor tok = TextWeights.gatherRows(source, prefix + "embeddings.token_embedding.weight", ids);
             Tensor pos = positionEmbedding.slice(0, 0, t)) {
            x = tok.add(pos);
        }
        cap.put("hidden_states.0", x);
        Tensor mask = attentionMask(b, t, attentionMask);
        int n = config.numHiddenLayers();
        Tensor penultimate = n == 1 ? x : null;
        try {
            for (int i = 0; i < n; i++) {
                TextWeights.Layer w = residency == Residency.RESIDENT ? layers[i] : TextWeights.Layer.load(source, layerPrefix(i), LAYER_TENSORS);
                Tensor y;
                try {
                    y = layer(x, w, mask);
                } finally {
                    if (residency == Residency.STREAMED) {
                        w.close();
                    }
                }
                if (x != penultimate) {
                    x.close();
                }
                x = y;
                cap.put("hidden_states." + (i + 1), x);
                if (i == n - 2) {
                    penultimate = x;
                }
            }
        } finally {
            mask.close();
        }
        Tensor last = Norms.layerNorm(x, finalNormWeight, finalNormBias, config.layerNormEps());
        if (x != penultimate) {
            x.close();
        }
        int[] index = pooledIndex(ids);
        Tensor[] rows = new Tensor[b];
        for (int i = 0; i < b; i++) {
            try (Tensor r = last.select(0, i)) {
                rows[i] = r.slice(1, index[i], index[i] + 1).reshape(1, config.hiddenSize());
            }
        }
        Tensor pooled = Tensor.concat(0, rows);
        Tensor.closeAll(rows);
        Tensor textEmbeds = projection == null ? null : Linear.forward(pooled, projection, null);
        cap.put("penultimate_hidden_state", penultimate);
        cap.put("last_hidden_state", last);
        if (cap.wants("pooled_index")) {
            try (Tensor pi = TextWeights.idsTensor(index, b)) {
                cap.put("pooled_index", pi);
            }
        }
        cap.put("pooler_output", pooled);
        if (textEmbeds != null) {
            cap.put("text_embeds", textEmbeds);
        }
        return new TextEncoderOutput(last, pooled, textEmbeds, penultimate, index);
    }

    /** Causal mask [1,1,T,T] (finfo.min above the diagonal), plus the key padding mask [B,1,1,T] if given. */
    private static Tensor attentionMask(int b, int t, int[][] keyMask) {
        float[] c = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                c[q * t + k] = TextWeights.MASK_MIN;
            }
        }
        Tensor causal = Tensor.of(c, 1, 1, t, t);
        if (keyMask == null) {
            return causal;
        }
        try (Tensor km = TextWeights.keyMask(keyMask)) {
            Tensor both = causal.add(km);
            causal.close();
            return both;
        }
    }

    /** transformers' pooling position per row (see class doc). */
    int[] pooledIndex(int[][] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int[] row = ids[i];
            int best = 0;
            if (config.eosTokenId() == 2) {
                for (int j = 1; j < row.length; j++) {
                    if (row[j] > row[best]) {
                        best = j;
                    }
                }
            } else {
                for (int j = 0; j < row.length; j++) {
                    if (row[j] == config.eosTokenId()) {
                        best = j;
                        break;
                    }
                }
            }
            out[i] = best;
        }
        return out;
    }

    private Tensor layer(Tensor x, TextWeights.Layer w, Tensor mask) {
        long b = x.size(0);
        long t = x.size(1);
        int h = config.numAttentionHeads();
        int d = config.headDim();
        Tensor attn;
        try (Tensor n1 = Norms.layerNorm(x, w.get("layer_norm1.weight"), w.get("layer_norm1.bias"), config.layerNormEps());
             Tensor q = heads(Linear.forward(n1, w.get("self_attn.q_proj.weight"), w.get("self_attn.q_proj.bias")), b, t, h, d);
             Tensor k = heads(Linear.forward(n1, w.get("self_attn.k_proj.weight"), w.get("self_attn.k_proj.bias")), b, t, h, d);
             Tensor v = heads(Linear.forward(n1, w.get("self_attn.v_proj.weight"), w.get("self_attn.v_proj.bias")), b, t, h, d);
             Tensor a = Attention.scaledDotProduct(q, k, v, mask);
             Tensor merged = a.permute(0, 2, 1, 3)) {
            attn = Linear.forward(merged.reshape(b, t, (long) h * d), w.get("self_attn.out_proj.weight"), w.get("self_attn.out_proj.bias"));
        }
        Tensor x1 = x.add(attn);
        attn.close();
        Tensor ff;
        try (Tensor n2 = Norms.layerNorm(x1, w.get("layer_norm2.weight"), w.get("layer_norm2.bias"), config.layerNormEps());
             Tensor f1 = Linear.forward(n2, w.get("mlp.fc1.weight"), w.get("mlp.fc1.bias"));
             Tensor g = act.apply(f1)) {
            ff = Linear.forward(g, w.get("mlp.fc2.weight"), w.get("mlp.fc2.bias"));
        }
        Tensor out = x1.add(ff);
        Tensor.closeAll(x1, ff);
        return out;
    }

    /** [B, T, H·D] → [B, H, T, D]; closes its argument. */
    static Tensor heads(Tensor y, long b, long t, long h, long d) {
        try (Tensor r = y.reshape(b, t, h, d)) {
            Tensor p = r.permute(0, 2, 1, 3);
            y.close();
            return p;
        }
    }

    /** Frees every held tensor and (when loaded from a folder) the mapped file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TextWeights.Layer l : layers) {
            if (l != null) {
                l.close();
            }
        }
        Tensor.closeAll(positionEmbedding, finalNormWeight, finalNormBias, projection);
        if (ownsSource) {
            source.close();
        }
    }
}

package io.jmmdit.model.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Norms;
import io.jmmdit.engine.Softmax;
import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.WeightSource;
import io.jmmdit.weights.WeightsException;

/**
 * transformers' {@code T5EncoderModel} (FLUX.1 {@code text_encoder_2}, SD3 {@code text_encoder_3}).
 *
 * <p>Embedding {@code shared.weight} (alias {@code encoder.embed_tokens.weight}), no √d scaling; one relative position
 * bias (bidirectional buckets, block 0's {@code relative_attention_bias}) added in every block; attention scores
 * {@code q·kᵀ + bias} with <b>no</b> 1/√d_kv scaling; RMS pre-norms (no mean, no bias); gated {@code gelu_new} FF
 * ({@code wi_0}, {@code wi_1}, {@code wo}) or plain {@code wi}/{@code wo} per {@code feed_forward_proj};
 * {@code encoder.final_layer_norm}. No attention mask by default (FluxPipeline attends the pads).
 *
 * <p>Memory: the embedding table is never materialised (rows are read from the mapped file). With
 * {@link Residency#STREAMED} each call loads block i's weights, runs it and frees them before block i+1, so only
 * one block (~0.76 GB F32 for T5-XXL: 4·4096² attention + 3·4096·10240 FF) plus activations is resident. {@link #close()} frees everything.
 */
public final class T5Encoder implements AutoCloseable {

    private static final String SHARED = "shared.weight";
    private static final String EMBED_TOKENS = "encoder.embed_tokens.weight";
    private static final String REL_BIAS = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";

    private final T5Config config;
    private final WeightSource source;
    private final boolean ownsSource;
    private final Residency residency;
    private final String embeddingName;
    private final List<String> blockTensors;
    private final UnaryOperator<Tensor> act;
    /** relative_attention_bias [num_buckets, heads], row-major. */
    private final float[] relativeBias;
    private final Tensor finalNorm;
    private final TextWeights.Layer[] blocks;
    private boolean closed;

    private T5Encoder(T5Config config, WeightSource source, boolean ownsSource, Residency residency) {
        this.config = config;
        this.source = source;
        this.ownsSource = ownsSource;
        this.residency = residency;
        this.act = Act.of(config.denseActFn());
        embeddingName = source.contains(SHARED) ? SHARED : source.contains(EMBED_TOKENS) ? EMBED_TOKENS : null;
        if (embeddingName == null) {
            throw new WeightsException(source.describe() + ": no T5 embedding ('" + SHARED + "' or '" + EMBED_TOKENS + "')");
        }
        long[] es = source.info(embeddingName).shape();
        if (es.length != 2 || es[1] != config.dModel() || es[0] < config.vocabSize()) {
            throw new WeightsException(source.describe() + ": '" + embeddingName + "' has shape " + Arrays.toString(es)
                    + ", config expects [" + config.vocabSize() + ", " + config.dModel() + "]");
        }
        List<String> names = new ArrayList<>(List.of("layer.0.layer_norm.weight", "layer.0.SelfAttention.q.weight",
                "layer.0.SelfAttention.k.weight", "layer.0.SelfAttention.v.weight", "layer.0.SelfAttention.o.weight",
                "layer.1.layer_norm.weight", "layer.1.DenseReluDense.wo.weight"));
        if (config.isGatedAct()) {
            names.addAll(List.of("layer.1.DenseReluDense.wi_0.weight", "layer.1.DenseReluDense.wi_1.weight"));
        } else {
            names.add("layer.1.DenseReluDense.wi.weight");
        }
        blockTensors = List.copyOf(names);
        long[] rs = source.info(REL_BIAS).shape();
        if (!Arrays.equals(rs, new long[] {config.relativeAttentionNumBuckets(), config.numHeads()})) {
            throw new WeightsException(source.describe() + ": '" + REL_BIAS + "' has shape " + Arrays.toString(rs)
                    + ", config expects [" + config.relativeAttentionNumBuckets() + ", " + config.numHeads() + "]");
        }
        try (Tensor rb = source.tensor(REL_BIAS)) {
            relativeBias = rb.toFloatArray();
        }
        finalNorm = source.tensor("encoder.final_layer_norm.weight");
        blocks = new TextWeights.Layer[config.numLayers()];
        try {
            for (int i = 0; i < blocks.length; i++) {
                for (String n : blockTensors) {
                    if (!source.contains(blockPrefix(i) + n)) {
                        throw new WeightsException(source.describe() + ": missing '" + blockPrefix(i) + n + "' (feed_forward_proj "
                                + config.feedForwardProj() + ", " + blocks.length + " blocks)");
                    }
                }
                if (residency == Residency.RESIDENT) {
                    blocks[i] = TextWeights.Layer.load(source, blockPrefix(i), blockTensors);
                }
            }
        } catch (RuntimeException e) {
            closeBlocks();
            finalNorm.close();
            throw e;
        }
    }

    /** Loads {@code folder/config.json} and the folder's safetensors (single file or sharded index). */
    public static T5Encoder load(Path folder, Residency residency) {
        T5Config cfg = T5Config.load(folder.resolve("config.json"));
        WeightSource src = TextWeights.openFolder(folder);
        try {
            return new T5Encoder(cfg, src, true, residency);
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** Over an open source, which stays the caller's to close (after this encoder). */
    public static T5Encoder load(T5Config config, WeightSource source, Residency residency) {
        return new T5Encoder(config, source, false, residency);
    }

    public T5Config config() {
        return config;
    }

    public Residency residency() {
        return residency;
    }

    /** Encodes token ids [B][T] without attention mask (FLUX); the output has only {@code lastHiddenState} [B, T, d_model]. */
    public TextEncoderOutput encode(int[][] ids) {
        return encode(ids, null);
    }

    /** As {@link #encode(int[][])}; keys with {@code attentionMask[b][t] == 0} get finfo.min added (null: no mask). */
    public TextEncoderOutput encode(int[][] ids, int[][] attentionMask) {
        return new TextEncoderOutput(forward(ids, attentionMask, Capture.NONE), null, null, null, null);
    }

    /** Ids as a float tensor [B, T] (or [T]). */
    public TextEncoderOutput encode(Tensor ids) {
        return encode(TextWeights.idsOf(ids));
    }

    /**
     * Runs on {@code inputs["input_ids"]} (float [B, T]) without mask and returns the captured tensors among
     * {@code hidden_states.0..L} (embeddings, block outputs, and for L the final-normed output, as transformers),
     * {@code block_output.0..L-1}, {@code position_bias} [1, H, T, T], {@code relative_position_bucket} [T, T] and
     * {@code last_hidden_state}. If {@code inputs} has {@code attention_mask}, a masked run adds the same names
     * prefixed {@code masked.}. T5 has no pooled output.
     */
    public Map<String, Tensor> trace(Map<String, Tensor> inputs, Predicate<String> capture) {
        return Capture.trace(inputs, capture, traceNames(), this::forward);
    }

    /** Every name {@link #trace} can write for an unmasked run (a masked run adds the same names prefixed {@code masked.}). */
    public List<String> traceNames() {
        List<String> names = new ArrayList<>(List.of("relative_position_bucket", "position_bias"));
        for (int i = 0; i <= config.numLayers(); i++) {
            names.add("hidden_states." + i);
        }
        for (int i = 0; i < config.numLayers(); i++) {
            names.add("block_output." + i);
        }
        names.add("last_hidden_state");
        return names;
    }

    private static String blockPrefix(int i) {
        return "encoder.block." + i + ".";
    }

    private Tensor forward(int[][] ids, int[][] attentionMask, Capture cap) {
        if (closed) {
            throw new IllegalStateException("T5 encoder is closed");
        }
        TextWeights.checkIds(ids, "T5");
        int b = ids.length;
        int t = ids[0].length;
        if (attentionMask != null && (attentionMask.length != b || attentionMask[0].length != t)) {
            throw new IllegalArgumentException("T5: attention mask shape differs from ids");
        }
        int[][] buckets = relativePositionBuckets(t, t, true, config.relativeAttentionNumBuckets(), config.relativeAttentionMaxDistance());
        if (cap.wants("relative_position_bucket")) {
            try (Tensor bt = TextWeights.idsTensor(Arrays.stream(buckets).flatMapToInt(Arrays::stream).toArray(), t, t)) {
                cap.put("relative_position_bucket", bt);
            }
        }
        Tensor bias = positionBias(buckets);
        cap.put("position_bias", bias);
        if (attentionMask != null) {
            try (Tensor km = TextWeights.keyMask(attentionMask)) {
                Tensor masked = bias.add(km);
                bias.close();
                bias = masked;
            }
        }
        Tensor x = TextWeights.gatherRows(source, embeddingName, ids);
        cap.put("hidden_states.0", x);
        int n = config.numLayers();
        try {
            for (int i = 0; i < n; i++) {
                TextWeights.Layer w = residency == Residency.RESIDENT ? blocks[i] : TextWeights.Layer.load(source, blockPrefix(i), blockTensors);
                Tensor y;
                try {
                    y = block(x, w, bias);
                } finally {
                    if (residency == Residency.STREAMED) {
                        w.close();
                    }
                }
                x.close();
                x = y;
                cap.put("block_output." + i, x);
                if (i < n - 1) {
                    cap.put("hidden_states." + (i + 1), x);
                }
            }
        } finally {
            bias.close();
        }
        Tensor last = Norms.rmsNorm(x, finalNorm, config.layerNormEpsilon());
        x.close();
        cap.put("hidden_states." + n, last);
        cap.put("last_hidden_state", last);
        return last;
    }

    private Tensor block(Tensor x, TextWeights.Layer w, Tensor bias) {
        long b = x.size(0);
        long t = x.size(1);
        int h = config.numHeads();
        int d = config.dKv();
        Tensor attn;
        try (Tensor n0 = Norms.rmsNorm(x, w.get("layer.0.layer_norm.weight"), config.layerNormEpsilon());
             Tensor q = ClipTextModel.heads(Linear.forward(n0, w.get("layer.0.SelfAttention.q.weight"), null), b, t, h, d);
             Tensor k = ClipTextModel.heads(Linear.forward(n0, w.get("layer.0.SelfAttention.k.weight"), null), b, t, h, d);
             Tensor v = ClipTextModel.heads(Linear.forward(n0, w.get("layer.0.SelfAttention.v.weight"), null), b, t, h, d);
             Tensor scores = q.matmulTransposed(k)) {
            scores.addInPlace(bias);
            try (Tensor p = Softmax.lastDim(scores);
                 Tensor o = p.matmul(v);
                 Tensor merged = o.permute(0, 2, 1, 3)) {
                attn = Linear.forward(merged.reshape(b, t, (long) h * d), w.get("layer.0.SelfAttention.o.weight"), null);
            }
        }
        Tensor x1 = x.add(attn);
        attn.close();
        Tensor ff;
        try (Tensor n1 = Norms.rmsNorm(x1, w.get("layer.1.layer_norm.weight"), config.layerNormEpsilon())) {
            Tensor hidden;
            if (config.isGatedAct()) {
                try (Tensor g0 = Linear.forward(n1, w.get("layer.1.DenseReluDense.wi_0.weight"), null);
                     Tensor g = act.apply(g0);
                     Tensor lin = Linear.forward(n1, w.get("layer.1.DenseReluDense.wi_1.weight"), null)) {
                    hidden = g.mul(lin);
                }
            } else {
                try (Tensor h0 = Linear.forward(n1, w.get("layer.1.DenseReluDense.wi.weight"), null)) {
                    hidden = act.apply(h0);
                }
            }
            ff = Linear.forward(hidden, w.get("layer.1.DenseReluDense.wo.weight"), null);
            hidden.close();
        }
        Tensor out = x1.add(ff);
        Tensor.closeAll(x1, ff);
        return out;
    }

    /** position_bias [1, H, Tq, Tk] = relative_attention_bias[bucket[q][k]][h]. */
    private Tensor positionBias(int[][] buckets) {
        int tq = buckets.length;
        int tk = buckets[0].length;
        int h = config.numHeads();
        float[] f = new float[h * tq * tk];
        for (int hh = 0; hh < h; hh++) {
            for (int q = 0; q < tq; q++) {
                for (int k = 0; k < tk; k++) {
                    f[(hh * tq + q) * tk + k] = relativeBias[buckets[q][k] * h + hh];
                }
            }
        }
        return Tensor.of(f, 1, h, tq, tk);
    }

    /** bucket[q][k] of relative position k − q, for {@code queryLength × keyLength}. */
    public static int[][] relativePositionBuckets(int queryLength, int keyLength, boolean bidirectional, int numBuckets, int maxDistance) {
        int[][] out = new int[queryLength][keyLength];
        for (int q = 0; q < queryLength; q++) {
            for (int k = 0; k < keyLength; k++) {
                out[q][k] = relativePositionBucket(k - q, bidirectional, numBuckets, maxDistance);
            }
        }
        return out;
    }

    /**
     * transformers' {@code T5Attention._relative_position_bucket} for one relative position (memory − query), with the
     * large-distance branch evaluated in float32 and truncated toward zero as torch does.
     */
    public static int relativePositionBucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
        int bucket = 0;
        int n;
        if (bidirectional) {
            numBuckets /= 2;
            if (relativePosition > 0) {
                bucket += numBuckets;
            }
            n = Math.abs(relativePosition);
        } else {
            n = -Math.min(relativePosition, 0);
        }
        int maxExact = numBuckets / 2;
        if (n < maxExact) {
            return bucket + n;
        }
        float ratio = (float) n / (float) maxExact;
        float logRatio = (float) Math.log(ratio);
        float scaled = logRatio / (float) Math.log((double) maxDistance / maxExact) * (float) (numBuckets - maxExact);
        int large = maxExact + (int) scaled;
        return bucket + Math.min(large, numBuckets - 1);
    }

    private void closeBlocks() {
        for (TextWeights.Layer l : blocks) {
            if (l != null) {
                l.close();
            }
        }
    }

    /** Frees every held tensor and (when loaded from a folder) the mapped file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeBlocks();
        finalNorm.close();
        if (ownsSource) {
            source.close();
        }
    }
}

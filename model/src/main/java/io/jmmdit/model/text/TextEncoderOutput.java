package io.jmmdit.model.text;

import io.jmmdit.engine.Tensor;

/**
 * What a text encoder returns. Absent outputs are null. Closing frees every tensor.
 *
 * @param lastHiddenState [B, T, D]: CLIP after {@code final_layer_norm}; T5 after {@code encoder.final_layer_norm}
 * @param pooled          [B, D]: CLIP {@code pooler_output} (row of lastHiddenState at {@link #pooledIndex}); null for T5
 * @param textEmbeds      [B, P]: {@code text_projection(pooled)}, only for {@code CLIPTextModelWithProjection} weights
 * @param penultimate     [B, T, D]: CLIP {@code hidden_states[-2]} (output of layer N−1, not layer-normed, SD3's
 *                        features); null for T5
 * @param pooledIndex     per row, the token position used for pooling; null for T5
 */
public record TextEncoderOutput(Tensor lastHiddenState, Tensor pooled, Tensor textEmbeds, Tensor penultimate, int[] pooledIndex)
        implements AutoCloseable {

    @Override
    public void close() {
        Tensor.closeAll(lastHiddenState, pooled, textEmbeds, penultimate);
    }
}

package io.jmmdit.model.vae;

import io.jmmdit.engine.Attention;
import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Tensor;

/**
 * The VAE mid-block self-attention (diffusers Attention with group_norm, one head of dimension C,
 * residual_connection=True, rescale_output_factor=1): the H·W positions are the tokens, GroupNorm is taken over
 * channels before the projections, and the input is added back.
 */
public final class SpatialAttention implements AutoCloseable {

    private final GroupNorm groupNorm;
    private final Tensor wq, bq, wk, bk, wv, bv, wo, bo;
    private final int channels;

    SpatialAttention(VaeWeights w, String prefix, int channels, int groups) {
        this.channels = channels;
        this.groupNorm = new GroupNorm(w, prefix + ".group_norm", groups, channels);
        // diffusers ≥ 0.14 names; older diffusers checkpoints used query/key/value/proj_attn.
        boolean legacy = !w.contains(prefix + ".to_q.weight") && w.contains(prefix + ".query.weight");
        String q = legacy ? ".query" : ".to_q";
        String k = legacy ? ".key" : ".to_k";
        String v = legacy ? ".value" : ".to_v";
        String o = legacy ? ".proj_attn" : ".to_out.0";
        this.wq = w.takeLinear(prefix + q + ".weight", channels, channels);
        this.bq = w.take(prefix + q + ".bias", channels);
        this.wk = w.takeLinear(prefix + k + ".weight", channels, channels);
        this.bk = w.take(prefix + k + ".bias", channels);
        this.wv = w.takeLinear(prefix + v + ".weight", channels, channels);
        this.bv = w.take(prefix + v + ".bias", channels);
        this.wo = w.takeLinear(prefix + o + ".weight", channels, channels);
        this.bo = w.take(prefix + o + ".bias", channels);
    }

    /**
     * [N, C, H, W] → [N, C, H, W]. If {@code probe} wants {@code name + "_probs"} the [N, 1, HW, HW] attention
     * probabilities are captured too (large: (HW)² floats per image).
     */
    public Tensor forward(Tensor x, String name, Probe probe) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long wd = x.size(3);
        long l = h * wd;
        Tensor tokens;
        try (Tensor seq = x.reshape(n, c, l);
             Tensor normed = groupNorm.forward(seq)) {
            tokens = normed.permute(0, 2, 1); // [N, L, C]
        }
        Tensor attn;
        try (Tensor q = Linear.forward(tokens, wq, bq);
             Tensor k = Linear.forward(tokens, wk, bk);
             Tensor v = Linear.forward(tokens, wv, bv);
             Tensor q4 = q.reshape(n, 1, l, c);
             Tensor k4 = k.reshape(n, 1, l, c);
             Tensor v4 = v.reshape(n, 1, l, c)) {
            tokens.close();
            if (probe.wants(name + "_probs")) {
                try (Tensor p = Attention.probabilities(q4, k4, null)) {
                    probe.offer(name + "_probs", p);
                    attn = p.matmul(v4);
                }
            } else {
                attn = Attention.scaledDotProduct(q4, k4, v4, null);
            }
        }
        Tensor out;
        try (Tensor a3 = attn.reshape(n, l, c);
             Tensor proj = Linear.forward(a3, wo, bo)) {
            attn.close();
            out = proj.permute(0, 2, 1); // [N, C, L]
        }
        // a reshape of a contiguous tensor is a non-owning view, so copy it to hand the caller an owned tensor
        Tensor result;
        try (Tensor view = out.reshape(n, c, h, wd)) {
            result = view.copy();
        }
        out.close();
        result.addInPlace(x);
        return result;
    }

    int channels() {
        return channels;
    }

    @Override
    public void close() {
        groupNorm.close();
        Tensor.closeAll(wq, bq, wk, bk, wv, bv, wo, bo);
    }
}

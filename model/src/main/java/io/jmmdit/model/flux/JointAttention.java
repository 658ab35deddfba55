package io.jmmdit.model.flux;

import io.jmmdit.engine.Attention;
import io.jmmdit.engine.Norms;
import io.jmmdit.engine.Rope;
import io.jmmdit.engine.Tensor;
import io.jmmdit.model.hooks.Hooks;

/**
 * FLUX attention over a joint [text; image] sequence (diffusers FluxAttnProcessor2_0): per-head RMS QK-norm, RoPE on
 * Q and K, softmax(QKᵀ/√d)·V. Hook points under {@code <block>.attn.}: {@code to_q|to_k|to_v} (joint, before QK-norm
 * and RoPE), {@code query|key|value} (after), {@code probs}; all [B, H, T+L, ·].
 */
final class JointAttention {

    private JointAttention() {
    }

    /** [B, L, D] → [B, H, L, D/H]. */
    static Tensor heads(Tensor x, int heads) {
        long b = x.size(0);
        long l = x.size(1);
        try (Tensor r = x.reshape(b, l, heads, x.size(2) / heads)) {
            return r.permute(0, 2, 1, 3);
        }
    }

    /** [B, H, L, Dh] → [B, L, H·Dh]. */
    static Tensor merge(Tensor x) {
        try (Tensor p = x.permute(0, 2, 1, 3)) {
            return p.reshape(x.size(0), x.size(2), x.size(1) * x.size(3)).copy();
        }
    }

    /** RMS-normalise each head of q or k: [B, H, L, Dh] with weight [Dh]. */
    static Tensor qkNorm(Tensor x, Tensor weight) {
        return Norms.rmsNorm(x, weight, FluxConfig.EPS);
    }

    /**
     * Attention of projected, normalised joint q, k, v (owned: closed here), RoPE applied to q and k; returns
     * [B, T+L, D].
     */
    static Tensor attend(String prefix, Tensor q, Tensor k, Tensor v, Rope.Tables rope, Hooks hooks) {
        Tensor query;
        Tensor key;
        try (q; k) {
            query = hooks.through(prefix + "query", Rope.apply(q, rope));
            key = hooks.through(prefix + "key", Rope.apply(k, rope));
        }
        Tensor value = hooks.through(prefix + "value", v);
        Tensor out;
        try (query; key; value) {
            if (hooks.wants(prefix + "probs")) {
                try (Tensor p = hooks.through(prefix + "probs", Attention.probabilities(query, key, null))) {
                    out = p.matmul(value);
                }
            } else {
                out = Attention.scaledDotProduct(query, key, value, null);
            }
        }
        try (out) {
            return merge(out);
        }
    }

    /** The hook point {@code name} on the joint [text; image] tensor of two parts (owned; replaced parts are closed). */
    static Tensor[] jointHook(Hooks hooks, String name, Tensor txt, Tensor img) {
        if (!hooks.wants(name)) {
            return new Tensor[] {txt, img};
        }
        long t = txt.size(2);
        Tensor joint = Tensor.concat(2, txt, img);
        Tensor fired = hooks.through(name, joint);
        if (fired == joint) {
            joint.close();
            return new Tensor[] {txt, img};
        }
        try (fired) {
            Tensor.closeAll(txt, img);
            return new Tensor[] {fired.slice(2, 0, t), fired.slice(2, t, fired.size(2))};
        }
    }
}

package io.jmmdit.model.flux;

import io.jmmdit.engine.Activations;
import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Rope;
import io.jmmdit.engine.Tensor;
import io.jmmdit.model.hooks.Hooks;

/**
 * A FLUX double-stream (joint) block, diffusers {@code FluxTransformerBlock}: AdaLN-Zero on the image stream x and
 * the text stream c, joint attention over [c; x], gated residuals, tanh-GELU MLPs.
 *
 * <pre>
 * (shift, scale, gate)_{msa,mlp} = chunk6(norm1.linear(SiLU(temb)))          (and norm1_context for c)
 * x̂ = LN(x)·(1 + scale_msa) + shift_msa;  ĉ = LN(c)·(1 + c_scale_msa) + c_shift_msa      (hook points norm1, norm1_context)
 * a_x, a_c = attn(x̂, ĉ);  x += gate_msa·to_out(a_x);  c += c_gate_msa·to_add_out(a_c)
 * x += gate_mlp·ff(LN(x)·(1 + scale_mlp) + shift_mlp);  c likewise with ff_context
 * </pre>
 */
final class DoubleStreamBlock {

    private final int index;
    private final FluxConfig config;
    private final String name;

    DoubleStreamBlock(int index, FluxConfig config) {
        this.index = index;
        this.config = config;
        this.name = "transformer_blocks." + index + ".";
    }

    Params load(FluxWeights w) {
        long d = config.innerDim();
        long dh = config.attentionHeadDim();
        String bfl = "double_blocks." + index + ".";
        Params p = new Params();
        try {
            for (String n : new String[] {"norm1", "norm1_context"}) {
                p.put(n + ".linear.weight", w.get(name + n + ".linear.weight", 6 * d, d));
                p.put(n + ".linear.bias", w.get(name + n + ".linear.bias", 6 * d));
            }
            for (String s : new String[] {".weight", ".bias"}) {
                long[] shape = s.equals(".weight") ? new long[] {3 * d, d} : new long[] {3 * d};
                p.put("attn.qkv" + s, w.fused(bfl + "img_attn.qkv", s, shape, name + "attn.to_q", name + "attn.to_k", name + "attn.to_v"));
                p.put("attn.add_qkv" + s, w.fused(bfl + "txt_attn.qkv", s, shape,
                        name + "attn.add_q_proj", name + "attn.add_k_proj", name + "attn.add_v_proj"));
            }
            for (String n : new String[] {"attn.norm_q", "attn.norm_k", "attn.norm_added_q", "attn.norm_added_k"}) {
                p.put(n + ".weight", w.get(name + n + ".weight", dh));
            }
            linear(p, w, "attn.to_out.0", d, d);
            linear(p, w, "attn.to_add_out", d, d);
            linear(p, w, "ff.net.0.proj", 4 * d, d);
            linear(p, w, "ff.net.2", d, 4 * d);
            linear(p, w, "ff_context.net.0.proj", 4 * d, d);
            linear(p, w, "ff_context.net.2", d, 4 * d);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void linear(Params p, FluxWeights w, String n, long out, long in) {
        p.put(n + ".weight", w.get(name + n + ".weight", out, in));
        p.put(n + ".bias", w.get(name + n + ".bias", out));
    }

    /** Returns {encoder_hidden_states, hidden_states} after the block; the inputs are borrowed. */
    Tensor[] forward(Params p, Tensor x, Tensor c, Tensor temb, Rope.Tables rope, Hooks hooks) {
        int heads = config.numAttentionHeads();
        Tensor[] m = AdaLn.modulation(temb, p.get("norm1.linear.weight"), p.get("norm1.linear.bias"), 6);
        Tensor[] mc = AdaLn.modulation(temb, p.get("norm1_context.linear.weight"), p.get("norm1_context.linear.bias"), 6);
        try {
            Tensor xn = hooks.through(name + "norm1", AdaLn.modulate(x, m[0], m[1]));
            Tensor cn = hooks.through(name + "norm1_context", AdaLn.modulate(c, mc[0], mc[1]));
            Tensor[] qkvX;
            Tensor[] qkvC;
            try (xn; cn;
                 Tensor px = Linear.forward(xn, p.get("attn.qkv.weight"), p.get("attn.qkv.bias"));
                 Tensor pc = Linear.forward(cn, p.get("attn.add_qkv.weight"), p.get("attn.add_qkv.bias"))) {
                qkvX = splitHeads(px, heads);
                qkvC = splitHeads(pc, heads);
            }
            String a = name + "attn.";
            Tensor[] q = JointAttention.jointHook(hooks, a + "to_q", qkvC[0], qkvX[0]);
            Tensor[] k = JointAttention.jointHook(hooks, a + "to_k", qkvC[1], qkvX[1]);
            Tensor[] v = JointAttention.jointHook(hooks, a + "to_v", qkvC[2], qkvX[2]);
            Tensor jq;
            Tensor jk;
            Tensor jv;
            try (Tensor qc = JointAttention.qkNorm(q[0], p.get("attn.norm_added_q.weight"));
                 Tensor qx = JointAttention.qkNorm(q[1], p.get("attn.norm_q.weight"));
                 Tensor kc = JointAttention.qkNorm(k[0], p.get("attn.norm_added_k.weight"));
                 Tensor kx = JointAttention.qkNorm(k[1], p.get("attn.norm_k.weight"))) {
                Tensor.closeAll(q);
                Tensor.closeAll(k);
                jq = Tensor.concat(2, qc, qx);
                jk = Tensor.concat(2, kc, kx);
                jv = Tensor.concat(2, v[0], v[1]);
                Tensor.closeAll(v);
            }
            long t = c.size(1);
            Tensor attn = JointAttention.attend(a, jq, jk, jv, rope, hooks);
            Tensor ac;
            Tensor ax;
            try (attn; Tensor rawC = attn.slice(1, 0, t); Tensor rawX = attn.slice(1, t, attn.size(1))) {
                ac = hooks.through(a + "to_add_out", Linear.forward(rawC, p.get("attn.to_add_out.weight"), p.get("attn.to_add_out.bias")));
                ax = hooks.through(a + "to_out", Linear.forward(rawX, p.get("attn.to_out.0.weight"), p.get("attn.to_out.0.bias")));
            }
            Tensor x1;
            Tensor c1;
            try (ac; ax) {
                x1 = AdaLn.gatedResidual(x, m[2], ax);
                c1 = AdaLn.gatedResidual(c, mc[2], ac);
            }
            Tensor x2;
            Tensor c2;
            try (x1; c1) {
                x2 = mlp(p, "ff", x1, m[3], m[4], m[5]);
                c2 = mlp(p, "ff_context", c1, mc[3], mc[4], mc[5]);
            }
            c2 = hooks.through(name + "encoder_hidden_states", c2);
            x2 = hooks.through(name + "hidden_states", x2);
            return new Tensor[] {c2, x2};
        } finally {
            Tensor.closeAll(m);
            Tensor.closeAll(mc);
        }
    }

    /** x + gate·ff(LN(x)·(1 + scale) + shift), ff = Linear → tanh-GELU → Linear. */
    private static Tensor mlp(Params p, String ff, Tensor x, Tensor shift, Tensor scale, Tensor gate) {
        try (Tensor n = AdaLn.modulate(x, shift, scale);
             Tensor h = Linear.forward(n, p.get(ff + ".net.0.proj.weight"), p.get(ff + ".net.0.proj.bias"));
             Tensor g = Activations.geluTanh(h);
             Tensor o = Linear.forward(g, p.get(ff + ".net.2.weight"), p.get(ff + ".net.2.bias"))) {
            return AdaLn.gatedResidual(x, gate, o);
        }
    }

    /** A [B, L, 3D] projection → q, k, v as [B, H, L, Dh]. */
    static Tensor[] splitHeads(Tensor qkv, int heads) {
        Tensor[] parts = qkv.chunk(3, 2);
        Tensor[] out = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            out[i] = JointAttention.heads(parts[i], heads);
        }
        Tensor.closeAll(parts);
        return out;
    }
}

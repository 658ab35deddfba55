package io.jmmdit.model.flux;

import io.jmmdit.engine.Activations;
import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Rope;
import io.jmmdit.engine.Tensor;
import io.jmmdit.model.hooks.Hooks;

/**
 * A FLUX single-stream block, diffusers {@code FluxSingleTransformerBlock}, on the joint sequence h = [c; x]:
 * attention and MLP in parallel from one AdaLN, no attention output projection.
 *
 * <pre>
 * (shift, scale, gate) = chunk3(norm.linear(SiLU(temb)));  ĥ = LN(h)·(1 + scale) + shift       (hook point norm)
 * [q; k; v; m] = linear1(ĥ)   (diffusers to_q, to_k, to_v, proj_mlp; BFL linear1)
 * h += gate · proj_out([attn(q, k, v); GELU_tanh(m)])                                         (BFL linear2)
 * </pre>
 */
final class SingleStreamBlock {

    private final int index;
    private final FluxConfig config;
    private final String name;

    SingleStreamBlock(int index, FluxConfig config) {
        this.index = index;
        this.config = config;
        this.name = "single_transformer_blocks." + index + ".";
    }

    Params load(FluxWeights w) {
        long d = config.innerDim();
        Params p = new Params();
        try {
            p.put("norm.linear.weight", w.get(name + "norm.linear.weight", 3 * d, d));
            p.put("norm.linear.bias", w.get(name + "norm.linear.bias", 3 * d));
            String bfl = "single_blocks." + index + ".linear1";
            p.put("linear1.weight", w.fused(bfl, ".weight", new long[] {7 * d, d},
                    name + "attn.to_q", name + "attn.to_k", name + "attn.to_v", name + "proj_mlp"));
            p.put("linear1.bias", w.fused(bfl, ".bias", new long[] {7 * d},
                    name + "attn.to_q", name + "attn.to_k", name + "attn.to_v", name + "proj_mlp"));
            p.put("attn.norm_q.weight", w.get(name + "attn.norm_q.weight", config.attentionHeadDim()));
            p.put("attn.norm_k.weight", w.get(name + "attn.norm_k.weight", config.attentionHeadDim()));
            p.put("proj_out.weight", w.get(name + "proj_out.weight", d, 5 * d));
            p.put("proj_out.bias", w.get(name + "proj_out.bias", d));
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** The joint sequence after the block; {@code h} is borrowed. */
    Tensor forward(Params p, Tensor h, Tensor temb, Rope.Tables rope, Hooks hooks) {
        long d = config.innerDim();
        int heads = config.numAttentionHeads();
        Tensor[] m = AdaLn.modulation(temb, p.get("norm.linear.weight"), p.get("norm.linear.bias"), 3);
        try {
            Tensor attn;
            Tensor mlp;
            try (Tensor hn = hooks.through(name + "norm", AdaLn.modulate(h, m[0], m[1]));
                 Tensor proj = Linear.forward(hn, p.get("linear1.weight"), p.get("linear1.bias"));
                 Tensor qkv = proj.slice(2, 0, 3 * d);
                 Tensor mlpIn = proj.slice(2, 3 * d, 7 * d)) {
                mlp = Activations.geluTanh(mlpIn);
                Tensor[] parts = DoubleStreamBlock.splitHeads(qkv, heads);
                String a = name + "attn.";
                Tensor q = hooks.through(a + "to_q", parts[0]);
                Tensor k = hooks.through(a + "to_k", parts[1]);
                Tensor v = hooks.through(a + "to_v", parts[2]);
                Tensor qn;
                Tensor kn;
                try (q; k) {
                    qn = JointAttention.qkNorm(q, p.get("attn.norm_q.weight"));
                    kn = JointAttention.qkNorm(k, p.get("attn.norm_k.weight"));
                }
                attn = JointAttention.attend(a, qn, kn, v, rope, hooks);
            }
            try (attn; mlp;
                 Tensor cat = Tensor.concat(2, attn, mlp);
                 Tensor out = Linear.forward(cat, p.get("proj_out.weight"), p.get("proj_out.bias"))) {
                return hooks.through(name + "hidden_states", AdaLn.gatedResidual(h, m[2], out));
            }
        } finally {
            Tensor.closeAll(m);
        }
    }
}

package io.jmmdit.model.flux;

import io.jmmdit.engine.Activations;
import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Norms;
import io.jmmdit.engine.Tensor;

/** The adaptive LayerNorm pieces FLUX uses (diffusers normalization.py). */
final class AdaLn {

    private AdaLn() {
    }

    /** emb = linear(SiLU(temb)) split into {@code k} modulation vectors, each [B, 1, D] (AdaLayerNormZero / …Single / …Continuous). */
    static Tensor[] modulation(Tensor temb, Tensor weight, Tensor bias, int k) {
        try (Tensor act = Activations.silu(temb);
             Tensor emb = Linear.forward(act, weight, bias)) {
            Tensor[] parts = emb.chunk(k, 1);
            for (int i = 0; i < k; i++) {
                try (Tensor p = parts[i]; Tensor r = p.reshape(p.size(0), 1, p.size(1))) {
                    parts[i] = r.copy();
                }
            }
            return parts;
        }
    }

    /** LN(x, ε, no affine)·(1 + scale) + shift, with shift and scale [B, 1, D]. */
    static Tensor modulate(Tensor x, Tensor shift, Tensor scale) {
        try (Tensor n = Norms.layerNorm(x, null, null, FluxConfig.EPS);
             Tensor s1 = scale.add(1f);
             Tensor m = n.mul(s1)) {
            return m.add(shift);
        }
    }

    /** x + gate·y with gate [B, 1, D] (the gated residual of AdaLN-Zero). */
    static Tensor gatedResidual(Tensor x, Tensor gate, Tensor y) {
        try (Tensor g = y.mul(gate)) {
            return x.add(g);
        }
    }
}

package io.jmmdit.model.vae;

import io.jmmdit.engine.Tensor;

/** diffusers UNetMidBlock2D as the VAE uses it (no time embedding): resnet, [self-attention], resnet. */
public final class MidBlock2D implements AutoCloseable {

    private final ResnetBlock2D resnet0;
    private final SpatialAttention attention;
    private final ResnetBlock2D resnet1;

    MidBlock2D(VaeWeights w, String prefix, int channels, int groups, boolean addAttention) {
        this.resnet0 = new ResnetBlock2D(w, prefix + ".resnets.0", channels, channels, groups);
        this.attention = addAttention ? new SpatialAttention(w, prefix + ".attentions.0", channels, groups) : null;
        this.resnet1 = new ResnetBlock2D(w, prefix + ".resnets.1", channels, channels, groups);
    }

    /**
     * Captures {@code name + "_resnet_0_out"}, {@code name + "_attn_out"}, {@code name + "_attn_probs"},
     * {@code name + "_resnet_1_out"} (= the block output) when the probe wants them.
     */
    public Tensor forward(Tensor x, String name, Probe probe) {
        Tensor h = resnet0.forward(x);
        probe.offer(name + "_resnet_0_out", h);
        if (attention != null) {
            Tensor a = attention.forward(h, name + "_attn", probe);
            h.close();
            h = a;
            probe.offer(name + "_attn_out", h);
        }
        Tensor out = resnet1.forward(h);
        h.close();
        probe.offer(name + "_resnet_1_out", out);
        return out;
    }

    @Override
    public void close() {
        resnet0.close();
        if (attention != null) {
            attention.close();
        }
        resnet1.close();
    }
}

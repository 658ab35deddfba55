package io.jmmdit.model.vae;

import io.jmmdit.engine.Norms;
import io.jmmdit.engine.Tensor;

/** nn.GroupNorm(groups, channels, eps=1e-6, affine=True). */
final class GroupNorm implements AutoCloseable {

    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    GroupNorm(VaeWeights w, String prefix, int groups, int channels) {
        this.groups = groups;
        this.weight = w.take(prefix + ".weight", channels);
        this.bias = w.take(prefix + ".bias", channels);
    }

    /** Over [N, C, …]. */
    Tensor forward(Tensor x) {
        return Norms.groupNorm(x, groups, weight, bias, VaeConfig.NORM_EPS);
    }

    @Override
    public void close() {
        Tensor.closeAll(weight, bias);
    }
}

package io.jmmdit.model.vae;

import io.jmmdit.engine.Activations;
import io.jmmdit.engine.Conv2d;
import io.jmmdit.engine.Tensor;

/** A PyTorch nn.Conv2d with bias, square kernel, symmetric padding. */
final class Conv implements AutoCloseable {

    final Tensor weight;
    final Tensor bias;
    final int stride;
    final int padding;

    private Conv(Tensor weight, Tensor bias, int stride, int padding) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.padding = padding;
    }

    /** Loads {@code prefix.weight} [out, in, k, k] and {@code prefix.bias} [out]; padding k/2 ("same" for odd k). */
    static Conv load(VaeWeights w, String prefix, int in, int out, int k) {
        return new Conv(w.take(prefix + ".weight", out, in, k, k), w.take(prefix + ".bias", out), 1, k / 2);
    }

    /** A stride-2, unpadded conv (Downsample2D pads asymmetrically itself). */
    static Conv loadStride2(VaeWeights w, String prefix, int in, int out) {
        return new Conv(w.take(prefix + ".weight", out, in, 3, 3), w.take(prefix + ".bias", out), 2, 0);
    }

    /**
     * The head of the encoder and the decoder: conv_out(SiLU(conv_norm_out(h))); {@code h} is owned and closed here.
     */
    static Tensor outputHead(GroupNorm normOut, Conv convOut, Tensor h) {
        try (h; Tensor a = Activations.siluInPlace(normOut.forward(h))) {
            return convOut.forward(a);
        }
    }

    Tensor forward(Tensor x) {
        return Conv2d.forward(x, weight, bias, stride, padding);
    }

    @Override
    public void close() {
        Tensor.closeAll(weight, bias);
    }
}

package io.jmmdit.model.vae;

import io.jmmdit.engine.Resample;
import io.jmmdit.engine.Tensor;

/** diffusers Upsample2D(use_conv=True): nearest-neighbour ×2, then a 3×3 conv with padding 1. */
public final class Upsample2D implements AutoCloseable {

    private final Conv conv;

    Upsample2D(VaeWeights w, String prefix, int channels) {
        this.conv = Conv.load(w, prefix + ".conv", channels, channels, 3);
    }

    /** [N, C, H, W] → [N, C, 2H, 2W]. */
    public Tensor forward(Tensor x) {
        try (Tensor up = Resample.upsampleNearest2x(x)) {
            return conv.forward(up);
        }
    }

    @Override
    public void close() {
        conv.close();
    }
}

package io.jmmdit.model.vae;

import io.jmmdit.engine.Resample;
import io.jmmdit.engine.Tensor;

/** diffusers Downsample2D(use_conv=True, padding=0): pad right/bottom by one (F.pad (0,1,0,1)), then 3×3 stride-2 conv. */
public final class Downsample2D implements AutoCloseable {

    private final Conv conv;

    Downsample2D(VaeWeights w, String prefix, int channels) {
        this.conv = Conv.loadStride2(w, prefix + ".conv", channels, channels);
    }

    /** [N, C, H, W] → [N, C, ⌊(H−2)/2⌋+1, ⌊(W−2)/2⌋+1] (H/2 × W/2 for even sizes). */
    public Tensor forward(Tensor x) {
        return Resample.downsampleStride2(x, conv.weight, conv.bias);
    }

    @Override
    public void close() {
        conv.close();
    }
}

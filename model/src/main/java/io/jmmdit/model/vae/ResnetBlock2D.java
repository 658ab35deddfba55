package io.jmmdit.model.vae;

import io.jmmdit.engine.Activations;
import io.jmmdit.engine.Tensor;

/**
 * diffusers ResnetBlock2D without time embedding: x + conv2(silu(norm2(conv1(silu(norm1(x)))))), the skip through a
 * 1×1 {@code conv_shortcut} when the channel count changes. Output scale factor 1, dropout inactive.
 */
public final class ResnetBlock2D implements AutoCloseable {

    private final GroupNorm norm1;
    private final Conv conv1;
    private final GroupNorm norm2;
    private final Conv conv2;
    private final Conv shortcut;
    final int inChannels;
    final int outChannels;

    ResnetBlock2D(VaeWeights w, String prefix, int in, int out, int groups) {
        this.inChannels = in;
        this.outChannels = out;
        this.norm1 = new GroupNorm(w, prefix + ".norm1", groups, in);
        this.conv1 = Conv.load(w, prefix + ".conv1", in, out, 3);
        this.norm2 = new GroupNorm(w, prefix + ".norm2", groups, out);
        this.conv2 = Conv.load(w, prefix + ".conv2", out, out, 3);
        this.shortcut = in != out ? Conv.load(w, prefix + ".conv_shortcut", in, out, 1) : null;
    }

    /** [N, in, H, W] → [N, out, H, W]; the input is not modified or closed. */
    public Tensor forward(Tensor x) {
        Tensor h;
        try (Tensor a = Activations.siluInPlace(norm1.forward(x))) {
            h = conv1.forward(a);
        }
        Tensor h2;
        try (Tensor a = Activations.siluInPlace(norm2.forward(h))) {
            h.close();
            h2 = conv2.forward(a);
        }
        if (shortcut == null) {
            h2.addInPlace(x);
        } else {
            try (Tensor s = shortcut.forward(x)) {
                h2.addInPlace(s);
            }
        }
        return h2;
    }

    @Override
    public void close() {
        norm1.close();
        conv1.close();
        norm2.close();
        conv2.close();
        if (shortcut != null) {
            shortcut.close();
        }
    }
}

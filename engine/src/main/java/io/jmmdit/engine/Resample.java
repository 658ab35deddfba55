package io.jmmdit.engine;

/** Spatial resampling of NCHW tensors as the VAE uses it. */
public final class Resample {

    private Resample() {
    }

    /** Nearest-neighbour ×2 upsampling (F.interpolate(scale_factor=2, mode="nearest")). */
    public static Tensor upsampleNearest2x(Tensor x) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        try (Tensor x6 = x.reshape(n, c, h, 1, w, 1);
             Tensor ones = Tensor.ones(1, 1, 1, 2, 1, 2);
             Tensor up = x6.mul(ones)) {
            return up.reshape(n, c, 2 * h, 2 * w).copy();
        }
    }

    /** Zero padding of the last two dimensions: (left, right, top, bottom) as F.pad orders them. */
    public static Tensor pad(Tensor x, int left, int right, int top, int bottom) {
        long h = x.size(2);
        long w = x.size(3);
        Tensor out = Tensor.zeros(x.size(0), x.size(1), h + top + bottom, w + left + right);
        try (Tensor rows = Tensor.zeros(x.size(0), x.size(1), h, w + left + right)) {
            rows.assignSliceInPlace(3, left, x);
            out.assignSliceInPlace(2, top, rows);
        }
        return out;
    }

    /** The VAE's Downsample2D: pad (0, 1, 0, 1) — right and bottom only — then a 3×3 stride-2 convolution. */
    public static Tensor downsampleStride2(Tensor x, Tensor weight, Tensor bias) {
        try (Tensor p = pad(x, 0, 1, 0, 1)) {
            return Conv2d.forward(p, weight, bias, 2, 0);
        }
    }
}

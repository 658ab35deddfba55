package io.jmmdit.engine;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spatial resampling of NCHW tensors as the VAE uses it. */
public final class Resample {

    private Resample() {
    }

    /** Nearest-neighbour ×2 upsampling (F.interpolate(scale_factor=2, mode="nearest")). */
    public static Tensor upsampleNearest2x(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("upsample: expected [N, C, H, W], got " + x.shapeString());
        }
        long rowsIn = x.size(0) * x.size(1) * x.size(2);
        int w = Math.toIntExact(x.size(3));
        INDArray in = Tensor.contiguous(x.a);
        if (in.offset() != 0 || in.data().length() != in.length()) {
            in = in.dup('c');
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), x.size(1), 2 * x.size(2), 2L * w);
        FloatBuffer src = in.data().asNioFloat();
        FloatBuffer dst = out.data().asNioFloat();
        float[] row = new float[w];
        float[] wide = new float[2 * w];
        for (long r = 0; r < rowsIn; r++) {
            src.get(Math.toIntExact(r * w), row, 0, w);
            for (int i = 0; i < w; i++) {
                wide[2 * i] = row[i];
                wide[2 * i + 1] = row[i];
            }
            int o = Math.toIntExact(r * 4L * w);
            dst.put(o, wide, 0, 2 * w);
            dst.put(o + 2 * w, wide, 0, 2 * w);
        }
        if (in != x.a) {
            in.close();
        }
        return new Tensor(out);
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

package io.jmmdit.model.vae;

import java.util.Arrays;

import io.jmmdit.engine.Tensor;

/**
 * The encoder posterior (diffusers DiagonalGaussianDistribution): a diagonal Gaussian with {@code mean} and
 * {@code logvar} (clamped to [−30, 20]), each [N, latent, h, w]. Owns both tensors; close it when done.
 */
public final class LatentDistribution implements AutoCloseable {

    private final Tensor mean;
    private final Tensor logvar;

    /** Splits encoder moments [N, 2·C, h, w] into mean (first C channels) and clamped logvar (last C). */
    static LatentDistribution fromMoments(Tensor moments) {
        Tensor[] parts = moments.chunk(2, 1);
        try (Tensor rawLogvar = parts[1]) {
            return new LatentDistribution(parts[0], rawLogvar.clamp(VaeConfig.LOGVAR_MIN, VaeConfig.LOGVAR_MAX));
        }
    }

    LatentDistribution(Tensor mean, Tensor logvar) {
        this.mean = mean;
        this.logvar = logvar;
    }

    /** The mean [N, C, h, w] (owned by this distribution). */
    public Tensor mean() {
        return mean;
    }

    /** The clamped log-variance [N, C, h, w] (owned by this distribution). */
    public Tensor logvar() {
        return logvar;
    }

    /** exp(½·logvar), a new tensor. */
    public Tensor std() {
        try (Tensor half = logvar.mul(0.5f)) {
            return half.exp();
        }
    }

    /** The mode = the mean, as a new tensor (what FLUX/SD3 img2img and inversion encode with). */
    public Tensor mode() {
        return mean.copy();
    }

    /**
     * mean + exp(½·logvar)·ε for standard normal noise ε of the same shape (diffusers draws ε with
     * {@code randn_tensor(mean.shape, generator)}); a new tensor.
     */
    public Tensor sample(Tensor noise) {
        if (!Arrays.equals(noise.shape(), mean.shape())) {
            throw new IllegalArgumentException("noise shape " + noise.shapeString() + " does not match the posterior " + mean.shapeString());
        }
        try (Tensor std = std(); Tensor scaled = std.mul(noise)) {
            return mean.add(scaled);
        }
    }

    @Override
    public void close() {
        Tensor.closeAll(mean, logvar);
    }
}

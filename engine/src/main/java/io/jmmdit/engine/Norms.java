package io.jmmdit.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Normalisations with an explicit epsilon. ND4J's layer_norm op has no epsilon (Nd4jTrapsTest shows it), so these are composed
 * from moments.
 */
public final class Norms {

    private Norms() {
    }

    /** LayerNorm over the last dimension: (x − μ)/√(σ² + ε)·w + b; weight and bias may be null (no affine). */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        long d = x.size(-1);
        INDArray x2 = Tensor.contiguous(x.a).reshape('c', x.length() / d, d);
        INDArray mu = x2.mean(true, 1);
        INDArray c = x2.subColumnVector(mu);
        INDArray var = c.mul(c).mean(true, 1);
        INDArray inv = Transforms.pow(var.addi(eps), -0.5, false);
        c.muliColumnVector(inv);
        affine(c, weight, bias);
        return new Tensor(c.reshape('c', x.shape()));
    }

    /** RMSNorm over the last dimension: x/√(mean(x²) + ε)·w (T5, FLUX QK-norm); weight may be null. */
    public static Tensor rmsNorm(Tensor x, Tensor weight, double eps) {
        long d = x.size(-1);
        INDArray x2 = Tensor.contiguous(x.a).reshape('c', x.length() / d, d);
        INDArray ms = x2.mul(x2).mean(true, 1);
        INDArray inv = Transforms.pow(ms.addi(eps), -0.5, false);
        INDArray y = x2.mulColumnVector(inv);
        affine(y, weight, null);
        return new Tensor(y.reshape('c', x.shape()));
    }

    /** GroupNorm over NCHW (or NC…): statistics per sample and group of channels, then per-channel affine. */
    public static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        long n = x.size(0);
        long ch = x.size(1);
        if (ch % groups != 0) {
            throw new IllegalArgumentException("group norm: " + ch + " channels not divisible by " + groups + " groups");
        }
        long spatial = x.length() / (n * ch);
        INDArray g = Tensor.contiguous(x.a).reshape('c', n * groups, (ch / groups) * spatial);
        INDArray mu = g.mean(true, 1);
        INDArray c = g.subColumnVector(mu);
        // biased variance of the centred values without a squared temporary (one full-size allocation, not two)
        INDArray var = c.norm2(true, 1);
        var.muli(var).divi((ch / groups) * spatial);
        c.muliColumnVector(Transforms.pow(var.addi(eps), -0.5, false));
        INDArray y = c.reshape('c', n, ch, spatial);
        if (weight != null) {
            y.muli(weight.a.reshape(1, ch, 1));
        }
        if (bias != null) {
            y.addi(bias.a.reshape(1, ch, 1));
        }
        return new Tensor(y.reshape('c', x.shape()));
    }

    private static void affine(INDArray rows, Tensor weight, Tensor bias) {
        if (weight != null) {
            rows.muliRowVector(weight.a.reshape(weight.length()));
        }
        if (bias != null) {
            rows.addiRowVector(bias.a.reshape(bias.length()));
        }
    }
}

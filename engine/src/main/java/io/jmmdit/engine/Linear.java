package io.jmmdit.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A fully connected layer y = x·Wᵀ + b over the last dimension, any leading dimensions (PyTorch nn.Linear). */
public final class Linear {

    private Linear() {
    }

    /**
     * @param x      [..., in]
     * @param weight [out, in]
     * @param bias   [out] or null
     */
    public static Tensor forward(Tensor x, Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + x.shapeString() + " does not match weight " + weight.shapeString());
        }
        long in = weight.size(1);
        long out = weight.size(0);
        INDArray x2 = Tensor.contiguous(x.a).reshape('c', x.length() / in, in);
        INDArray y = Nd4j.gemm(x2, Tensor.contiguous(weight.a), false, true);
        if (bias != null) {
            y.addiRowVector(bias.a.reshape(out));
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = out;
        return new Tensor(y.reshape('c', shape));
    }
}

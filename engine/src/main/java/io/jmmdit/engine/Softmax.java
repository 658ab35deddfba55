package io.jmmdit.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Numerically stable softmax over the last dimension: exp(x − max)/Σ exp(x − max). */
public final class Softmax {

    private Softmax() {
    }

    public static Tensor lastDim(Tensor x) {
        long d = x.size(-1);
        INDArray x2 = Tensor.contiguous(x.a).reshape('c', x.length() / d, d);
        INDArray e = x2.subColumnVector(x2.max(true, 1));
        Transforms.exp(e, false);
        e.diviColumnVector(e.sum(true, 1));
        return new Tensor(e.reshape('c', x.shape()));
    }
}

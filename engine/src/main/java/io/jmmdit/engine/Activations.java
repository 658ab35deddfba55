package io.jmmdit.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Activation functions, composed from primitive ops: ND4J's {@code gelu} op is the sigmoid approximation and its
 * {@code precise_gelu} is wrong (both shown by Nd4jTrapsTest), so neither is used.
 */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private Activations() {
    }

    /** SiLU: x·σ(x). */
    public static Tensor silu(Tensor x) {
        return new Tensor(x.a.mul(Transforms.sigmoid(x.a, true)));
    }

    /** SiLU computed in place (no allocation): x ← x·σ(x); returns x. */
    public static Tensor siluInPlace(Tensor x) {
        Nd4j.exec(new Swish(x.a, x.a));
        return x;
    }

    /** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch approximate="tanh", gelu_new). */
    public static Tensor geluTanh(Tensor x) {
        INDArray a = x.a;
        INDArray inner = a.mul(a).muli(0.044715).addi(1.0).muli(a).muli(SQRT_2_OVER_PI);
        INDArray t = Transforms.tanh(inner, false).addi(1.0);
        return new Tensor(t.muli(a).muli(0.5));
    }

    /** GELU, exact: ½x(1 + erf(x/√2)). */
    public static Tensor geluErf(Tensor x) {
        INDArray a = x.a;
        INDArray e = Nd4j.exec(new Erf(a.div(Math.sqrt(2.0))));
        return new Tensor(e.addi(1.0).muli(a).muli(0.5));
    }

    /** quick_gelu (CLIP): x·σ(1.702x). */
    public static Tensor quickGelu(Tensor x) {
        return new Tensor(x.a.mul(Transforms.sigmoid(x.a.mul(1.702), false)));
    }
}

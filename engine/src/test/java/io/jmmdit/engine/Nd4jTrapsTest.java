package io.jmmdit.engine;

import static io.jmmdit.engine.Ref.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.PreciseGELU;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J 1.0.0-M2.1 ops whose behaviour differs from what their names promise, and proof that the engine composes around
 * them. If one of these tests fails after an ND4J upgrade, the trap is gone: re-check the workaround.
 */
class Nd4jTrapsTest {

    private static final float[] X = {-3, -2, -1, -0.5f, 0, 0.5f, 1, 2, 3};

    private static double maxAbsDiff(INDArray a, Tensor b) {
        float[] x = a.dup('c').data().asFloat();
        float[] y = b.toFloatArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    @Test
    void nd4jGeluIsTheSigmoidApproximationNotTanhGelu() {
        double[] tanhRef = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            tanhRef[i] = ActivationsTimestepsTest.geluTanh(X[i]);
        }
        try (Tensor x = Tensor.of(X, X.length); Tensor ours = Activations.geluTanh(x); Tensor quick = Activations.quickGelu(x)) {
            INDArray nd4j = Nd4j.exec(new GELU(x.a.dup()));
            assertTrue(maxAbsDiff(nd4j, quick) < 1e-5, "ND4J gelu is x·σ(1.702x)");
            assertTrue(maxAbsDiff(nd4j, ours) > 1e-2, "ND4J gelu differs from tanh-GELU");
            assertClose(tanhRef, new long[] {X.length}, ours, 1e-6);
        }
    }

    @Test
    void nd4jPreciseGeluIsNotTheErfGelu() {
        try (Tensor x = Tensor.of(X, X.length); Tensor erf = Activations.geluErf(x)) {
            INDArray precise = Nd4j.exec(new PreciseGELU(x.a.dup()));
            assertTrue(maxAbsDiff(precise, erf) > 1e-3, "ND4J precise_gelu now matches erf GELU: " + maxAbsDiff(precise, erf));
        }
    }

    @Test
    void nd4jLayerNormHasNoEpsilon() {
        // a low-variance row (σ² ≈ 2.7e-6): without ε ND4J standardises it to unit variance; with ε = 1e-5 it must not
        float[] row = {0.001f, -0.002f, 0.0015f, -0.0005f, 0.002f, -0.001f};
        try (Tensor x = Tensor.of(row, 1, 6); Tensor ours = Norms.layerNorm(x, null, null, 1e-5);
             Tensor noEps = Norms.layerNorm(x, null, null, 0)) {
            INDArray gain = Nd4j.ones(DataType.FLOAT, 6);
            INDArray nd4j = Nd4j.createUninitialized(DataType.FLOAT, 1, 6);
            Nd4j.exec(new LayerNorm(x.a, gain, null, nd4j, false, 1));
            assertTrue(maxAbsDiff(nd4j, noEps) < 1e-4, "ND4J layer_norm equals ε = 0");
            assertTrue(maxAbsDiff(nd4j, ours) > 0.3, "ND4J layer_norm differs from ε = 1e-5 on a low-variance row");
            assertClose(LinearNormsTest.layerNorm(row, 6, null, null, 1e-5), new long[] {1, 6}, ours, 1e-4);
        }
    }

    @Test
    void nd4jRank3TimesRank2MmulThrowsWhileTensorMatmulWorks() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] w = {1, 0, -1, 2, 0.5f, 1};
        try (Tensor xt = Tensor.of(x, 2, 2, 3); Tensor wt = Tensor.of(w, 3, 2); Tensor y = xt.matmul(wt)) {
            assertThrows(RuntimeException.class, () -> xt.a.mmul(wt.a));
            assertClose(TensorTest.matmul(x, w, 4, 1, 3, 2, true, false), new long[] {2, 2, 2}, y, 1e-6);
        }
    }
}

package io.jmmdit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Regression: Tensor.shape() used to return ND4J's internal shape array, so Linear.forward rewrote its input's shape. */
class TensorShapeAliasingTest {

    @Test
    void linearLeavesItsInputShapeAlone() {
        try (Tensor x = Tensor.ones(1, 3, 4);
             Tensor w = Tensor.ones(8, 4);
             Tensor y = Linear.forward(x, w, null)) {
            assertArrayEquals(new long[] {1, 3, 8}, y.shape());
            assertArrayEquals(new long[] {1, 3, 4}, x.shape());
            x.shape()[2] = 99;
            assertArrayEquals(new long[] {1, 3, 4}, x.shape());
        }
    }
}

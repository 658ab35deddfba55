package io.jmmdit.editing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jmmdit.engine.Tensor;

class ControlsTest {

    private static Tensor ramp(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f - 3;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void adaLnMapCopiesAlignedSourceRowsAndKeepsInsertedTokens() {
        // source "a hat </s> pad", target "a red hat </s>": target 0 <- source 0, 1 keeps its own, 2 <- 1, 3 <- 2
        TokenAlignment al = TokenAlignment.align(new int[] {3, 30, 1, 0}, 3, new int[] {3, 40, 30, 1}, 4, 4);
        Tensor m = ramp(2, 4, 3);
        float[] in = m.toFloatArray();
        float[] out = new AdaLnTextFeatureMap(al, List.of(new RowPair(0, 1))).apply(m).toFloatArray();
        int row = 12;
        for (int k = 0; k < 3; k++) {
            assertEquals(in[k], out[row + k]);
            assertEquals(in[row + 3 + k], out[row + 3 + k]);
            assertEquals(in[3 + k], out[row + 6 + k]);
            assertEquals(in[6 + k], out[row + 9 + k]);
        }
        for (int i = 0; i < row; i++) {
            assertEquals(in[i], out[i], "source row unchanged");
        }
    }

    @Test
    void adaLnMapWithIdenticalRowsAndPromptsIsIdentity() {
        int[] ids = {5, 6, 1, 0};
        TokenAlignment al = TokenAlignment.align(ids, 3, ids, 3, 4);
        Tensor one = ramp(1, 4, 3);
        Tensor m = Tensor.concat(0, one, one);
        assertArrayEquals(m.toFloatArray(), new AdaLnTextFeatureMap(al, List.of(new RowPair(0, 1))).apply(m).toFloatArray());
    }

    @Test
    void adaLnMapRejectsWrongTokenCount() {
        TokenAlignment al = TokenAlignment.align(new int[] {1}, 1, new int[] {1}, 1, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdaLnTextFeatureMap(al, List.of(new RowPair(0, 1))).apply(ramp(2, 5, 3)));
        assertEquals(true, e.getMessage().contains("[B, 4, D]"));
    }

    @Test
    void valueInjectionCopiesSourceRowOnly() {
        Tensor v = ramp(3, 2, 4, 2);
        float[] in = v.toFloatArray();
        float[] out = new ValueInjection(List.of(new RowPair(0, 1))).apply(v).toFloatArray();
        int row = 16;
        for (int i = 0; i < row; i++) {
            assertEquals(in[i], out[i]);
            assertEquals(in[i], out[row + i]);
            assertEquals(in[2 * row + i], out[2 * row + i]);
        }
        assertArrayEquals(in, v.toFloatArray(), "input untouched");
    }
}

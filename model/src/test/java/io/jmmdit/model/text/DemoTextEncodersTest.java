package io.jmmdit.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.testutil.TestData;

/** Smoke test: the bundled demo model's BF16 text encoders load and give finite outputs of the right shapes. */
class DemoTextEncodersTest {

    static final Path DIR = TestData.demoModel();

    static void assertFinite(Tensor t) {
        for (float v : t.toFloatArray()) {
            assertTrue(Float.isFinite(v), "non-finite value in " + t);
        }
    }

    @ParameterizedTest
    @EnumSource(Residency.class)
    void clipTextEncoder(Residency res) {
        int[][] ids = new int[1][77];
        int[] prompt = {49406, 320, 2368, 4919, 525, 320, 9057, 4958, 49407};
        java.util.Arrays.fill(ids[0], 49407);
        System.arraycopy(prompt, 0, ids[0], 0, prompt.length);
        try (ClipTextModel m = ClipTextModel.load(DIR.resolve("text_encoder"), res); TextEncoderOutput o = m.encode(ids)) {
            assertArrayEquals(new long[] {1, 77, 64}, o.lastHiddenState().shape());
            assertArrayEquals(new long[] {1, 64}, o.pooled().shape());
            assertArrayEquals(new long[] {1, 77, 64}, o.penultimate().shape());
            assertArrayEquals(new int[] {8}, o.pooledIndex());
            assertNull(o.textEmbeds());
            assertFinite(o.lastHiddenState());
            assertFinite(o.pooled());
        }
    }

    @ParameterizedTest
    @EnumSource(Residency.class)
    void t5TextEncoder(Residency res) {
        int[][] ids = new int[1][32];
        int[] prompt = {3, 9, 1712, 3823, 30, 3, 9, 5726, 3108, 1};
        System.arraycopy(prompt, 0, ids[0], 0, prompt.length);
        try (T5Encoder m = T5Encoder.load(DIR.resolve("text_encoder_2"), res); TextEncoderOutput o = m.encode(ids)) {
            assertArrayEquals(new long[] {1, 32, 64}, o.lastHiddenState().shape());
            assertFinite(o.lastHiddenState());
        }
    }
}

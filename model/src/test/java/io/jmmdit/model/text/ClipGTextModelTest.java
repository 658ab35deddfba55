package io.jmmdit.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;

/** Parity with golden/clip-g-text (CLIPTextModelWithProjection, SD3 text_encoder_2 settings). */
class ClipGTextModelTest {

    /** README: atol 1e-5, rtol 1e-5 for every float tensor; pooled_index exact. */
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-5;

    static final Path DIR = Golden.resource("golden/clip-g-text");

    @Test
    void configIsParsed() {
        ClipTextConfig c = ClipTextConfig.load(DIR.resolve("config.json"));
        assertEquals(new ClipTextConfig(49408, 32, 128, 2, 4, 77, "gelu", 1e-5, 16, 0, 2, 1, true), c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"case-a", "case-b"})
    void everyTensorMatches(String kase) {
        for (Residency res : Residency.values()) {
            try (ClipTextModel m = ClipTextModel.load(DIR, res);
                 SafeTensorsFile g = SafeTensorsFile.open(DIR.resolve(kase + ".safetensors"))) {
                assertTrue(m.hasProjection());
                Map<String, Tensor> out = m.trace(Map.of("input_ids", g.tensor("input_ids")), n -> true);
                int compared = 0;
                for (String name : new TreeSet<>(g.names())) {
                    if (name.equals("input_ids")) {
                        continue;
                    }
                    Tensor actual = out.get(name);
                    assertTrue(actual != null, kase + ": trace did not produce " + name + " (got " + out.keySet() + ")");
                    if (name.equals("pooled_index")) {
                        long[] e = Golden.longs(g, name);
                        float[] a = actual.toFloatArray();
                        for (int i = 0; i < e.length; i++) {
                            assertEquals(e[i], (long) a[i], kase + " pooled_index[" + i + "]");
                        }
                    } else {
                        try (Tensor e = g.tensor(name)) {
                            double ratio = Golden.allcloseRatio(actual, e, ATOL, RTOL);
                            if (res == Residency.RESIDENT) {
                                System.out.printf("clip-g-text %s %-26s abs %.3e rel %.3e allclose-ratio %.3f%n", kase, name,
                                        Golden.maxAbs(actual, e), Golden.relMax(actual, e), ratio);
                            }
                            assertTrue(ratio <= 1.0, kase + " " + name + ": outside atol/rtol 1e-5 (ratio " + ratio + ")");
                        }
                    }
                    compared++;
                }
                assertEquals(6, compared);
                int[][] ids = Golden.ints2d(g, "input_ids");
                try (TextEncoderOutput o = m.encode(ids)) {
                    assertTrue(Golden.bitEqual(o.textEmbeds(), out.get("text_embeds")));
                    assertTrue(Golden.bitEqual(o.penultimate(), out.get("penultimate_hidden_state")));
                    assertTrue(Golden.bitEqual(o.pooled(), out.get("pooler_output")));
                }
                out.values().forEach(Tensor::close);
            }
        }
    }
}

package io.jmmdit.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;

/** Parity with golden/clip-text (CLIP-L, FLUX text_encoder): every case, every tensor, masked and unmasked. */
class ClipTextModelTest {

    /** README: max|a−e|/max|e| ≤ 1e-4 per tensor; integer tensors exact. */
    static final double TOL = 1e-4;

    static final Path DIR = Golden.resource("golden/clip-text");

    @Test
    void configIsParsed() {
        ClipTextConfig c = ClipTextConfig.load(DIR.resolve("config.json"));
        assertEquals(new ClipTextConfig(49408, 32, 64, 2, 4, 77, "quick_gelu", 1e-5, 32, 0, 2, 1, false), c);
        assertEquals(8, c.headDim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"case-a", "case-b", "case-c"})
    void everyTensorMatches(String kase) {
        try (ClipTextModel m = ClipTextModel.load(DIR, Residency.RESIDENT);
             SafeTensorsFile g = SafeTensorsFile.open(DIR.resolve(kase + ".safetensors"))) {
            assertFalse(m.hasProjection());
            Map<String, Tensor> in = new HashMap<>();
            in.put("input_ids", g.tensor("input_ids"));
            in.put("attention_mask", g.tensor("attention_mask"));
            Map<String, Tensor> out = m.trace(in, n -> true);
            assertEquals(8, Golden.assertTraceMatches("clip-text " + kase, g, out, n -> n.endsWith("pooled_index"), TOL), "golden tensors compared");
            // penultimate = hidden_states[-2] = hidden_states.1 (2 layers)
            assertTrue(Golden.bitEqual(out.get("penultimate_hidden_state"), out.get("hidden_states.1")));
            // the output record agrees bit for bit with the trace
            int[][] ids = Golden.ints2d(g, "input_ids");
            try (TextEncoderOutput o = m.encode(ids)) {
                assertTrue(Golden.bitEqual(o.lastHiddenState(), out.get("last_hidden_state")));
                assertTrue(Golden.bitEqual(o.pooled(), out.get("pooler_output")));
                assertTrue(Golden.bitEqual(o.penultimate(), out.get("hidden_states.1")));
                assertNull(o.textEmbeds());
                long[] pi = Golden.longs(g, "pooled_index");
                for (int i = 0; i < pi.length; i++) {
                    assertEquals(pi[i], o.pooledIndex()[i]);
                }
            }
            out.values().forEach(Tensor::close);
        }
    }

    @Test
    void streamedEqualsResidentBitForBit() {
        try (ClipTextModel r = ClipTextModel.load(DIR, Residency.RESIDENT);
             ClipTextModel s = ClipTextModel.load(DIR, Residency.STREAMED);
             SafeTensorsFile g = SafeTensorsFile.open(DIR.resolve("case-c.safetensors"))) {
            int[][] ids = Golden.ints2d(g, "input_ids");
            try (TextEncoderOutput a = r.encode(ids); TextEncoderOutput b = s.encode(ids)) {
                assertTrue(Golden.bitEqual(a.lastHiddenState(), b.lastHiddenState()));
                assertTrue(Golden.bitEqual(a.pooled(), b.pooled()));
                assertTrue(Golden.bitEqual(a.penultimate(), b.penultimate()));
            }
        }
    }

    @Test
    void poolingRules() {
        try (ClipTextModel m = ClipTextModel.load(DIR, Residency.STREAMED)) {
            // legacy eos_token_id 2: first position of the largest id
            assertArrayEquals(new int[] {2, 1}, m.pooledIndex(new int[][] {{49406, 5, 49407, 49407}, {49406, 49407, 0, 0}}));
        }
        ClipTextConfig c = ClipTextConfig.load(DIR.resolve("config.json"));
        ClipTextConfig newer = new ClipTextConfig(c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.numHiddenLayers(),
                c.numAttentionHeads(), c.maxPositionEmbeddings(), c.hiddenAct(), c.layerNormEps(), c.projectionDim(),
                49406, 49407, 49407, false);
        try (SafeTensorsFile f = SafeTensorsFile.open(DIR.resolve("model.safetensors"));
             ClipTextModel m = ClipTextModel.load(newer, f, Residency.STREAMED)) {
            // any other eos: first position holding it, even if a larger id comes first
            assertArrayEquals(new int[] {3, 0}, m.pooledIndex(new int[][] {{49406, 49408 - 2, 7, 49407}, {49406, 3, 4, 5}}));
        }
    }
}

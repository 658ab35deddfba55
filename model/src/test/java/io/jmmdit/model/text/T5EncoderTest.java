package io.jmmdit.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Parity with golden/t5-encoder (T5 v1.1 encoder, FLUX text_encoder_2). */
class T5EncoderTest {

    /** README: max|a−e|/max|e| ≤ 1e-4; integer tensors (ids, buckets) exact. */
    static final double TOL = 1e-4;

    static final Path DIR = Golden.resource("golden/t5-encoder");

    @Test
    void configIsParsed() {
        T5Config c = T5Config.load(DIR.resolve("config.json"));
        assertEquals(new T5Config(32128, 32, 8, 4, 64, 2, 32, 128, 1e-6, "gated-gelu", "gelu_new", true), c);
        T5Config relu = T5Config.parse("{\"feed_forward_proj\":\"relu\"}");
        assertEquals("relu", relu.denseActFn());
        assertTrue(!relu.isGatedAct());
    }

    @Test
    void bucketTableMatches() {
        try (SafeTensorsFile f = SafeTensorsFile.open(DIR.resolve("relative_position_buckets.safetensors"))) {
            long[] rel = Golden.longs(f, "relative_position");
            long[] bi = Golden.longs(f, "bucket_bidirectional_32_128");
            long[] uni = Golden.longs(f, "bucket_unidirectional_32_128");
            assertEquals(2047, rel.length);
            for (int i = 0; i < rel.length; i++) {
                int r = (int) rel[i];
                assertEquals(bi[i], T5Encoder.relativePositionBucket(r, true, 32, 128), "bidirectional rel " + r);
                assertEquals(uni[i], T5Encoder.relativePositionBucket(r, false, 32, 128), "unidirectional rel " + r);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"case-a", "case-b", "case-c"})
    void everyTensorMatches(String kase) {
        try (T5Encoder m = T5Encoder.load(DIR, Residency.RESIDENT);
             SafeTensorsFile g = SafeTensorsFile.open(DIR.resolve(kase + ".safetensors"))) {
            Map<String, Tensor> in = new HashMap<>();
            in.put("input_ids", g.tensor("input_ids"));
            in.put("attention_mask", g.tensor("attention_mask"));
            Map<String, Tensor> out = m.trace(in, n -> true);
            assertEquals(14, Golden.assertTraceMatches("t5-encoder " + kase, g, out, n -> n.equals("relative_position_bucket"), TOL), "golden tensors compared");
            try (TextEncoderOutput o = m.encode(Golden.ints2d(g, "input_ids"))) {
                assertTrue(Golden.bitEqual(o.lastHiddenState(), out.get("last_hidden_state")));
                assertNull(o.pooled());
            }
            out.values().forEach(Tensor::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"case-a", "case-b", "case-c"})
    void streamedEqualsResidentBitForBit(String kase) {
        try (T5Encoder r = T5Encoder.load(DIR, Residency.RESIDENT);
             T5Encoder s = T5Encoder.load(DIR, Residency.STREAMED);
             SafeTensorsFile g = SafeTensorsFile.open(DIR.resolve(kase + ".safetensors"))) {
            Map<String, Tensor> in = new HashMap<>();
            in.put("input_ids", g.tensor("input_ids"));
            in.put("attention_mask", g.tensor("attention_mask"));
            Map<String, Tensor> a = r.trace(in, n -> true);
            Map<String, Tensor> b = s.trace(in, n -> true);
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                assertTrue(Golden.bitEqual(a.get(k), b.get(k)), kase + " " + k + " differs between RESIDENT and STREAMED");
            }
            a.values().forEach(Tensor::close);
            b.values().forEach(Tensor::close);
        }
    }

    @Test
    void closedEncoderRefuses() {
        T5Encoder m = T5Encoder.load(DIR, Residency.STREAMED);
        m.close();
        m.close();
        try {
            m.encode(new int[][] {{1}});
            throw new AssertionError("expected IllegalStateException");
        } catch (IllegalStateException expected) {
            // ok
        }
    }
}

package io.jmmdit.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The editing use of spans: tokens of words a source→target word diff keeps equal, found by span, map position by
 * position as in {@code cases.json} {@code edit_pairs}.
 */
class EditPairsTest {

    private static final PromptTokenizer CLIP = Tokenizers.load(GoldenCases.clipFolder());
    private static final PromptTokenizer T5 = Tokenizers.load(GoldenCases.t5Folder());

    @TestFactory
    Stream<DynamicTest> equalWordTokensMapLikeGolden() throws Exception {
        JsonNode pairs = new ObjectMapper().readTree(GoldenCases.resource("cases.json").toFile()).get("edit_pairs");
        List<JsonNode> cases = GoldenCases.cases();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode p : pairs) {
            JsonNode src = cases.get(p.get("source").asInt());
            JsonNode tgt = cases.get(p.get("target").asInt());
            String name = p.get("source_prompt").asText() + " -> " + p.get("target_prompt").asText();
            tests.add(DynamicTest.dynamicTest("CLIP " + name, () -> {
                Encoding s = CLIP.encode(src.get("prompt").asText(), 77);
                Encoding t = CLIP.encode(tgt.get("prompt").asText(), 77);
                assertEquals(p.get("clip_token_map_equal_words"), map(p, src, tgt, s, t));
                assertArrayEquals(GoldenCases.ints(p.get("clip_special").get("eos")),
                        new int[] {s.length() - 1, t.length() - 1});
            }));
            tests.add(DynamicTest.dynamicTest("T5 " + name, () -> {
                Encoding s = T5.encode(src.get("prompt").asText(), 512);
                Encoding t = T5.encode(tgt.get("prompt").asText(), 512);
                assertEquals(p.get("t5_token_map_equal_words"), map(p, src, tgt, s, t));
                assertArrayEquals(GoldenCases.ints(p.get("t5_special").get("eos_512")),
                        new int[] {s.length() - 1, t.length() - 1});
            }));
        }
        return tests.stream();
    }

    /** [[sourcePos, targetPos], …] over the words of the {@code equal} opcodes. */
    private static JsonNode map(JsonNode pair, JsonNode src, JsonNode tgt, Encoding s, Encoding t) {
        var out = new ObjectMapper().createArrayNode();
        for (JsonNode op : pair.get("word_opcodes")) {
            if (!"equal".equals(op.get("op").asText())) {
                continue;
            }
            int i = op.get("source_words").get(0).asInt();
            int j = op.get("target_words").get(0).asInt();
            for (; i < op.get("source_words").get(1).asInt(); i++, j++) {
                int[] a = positions(s, src.get("words").get(i));
                int[] b = positions(t, tgt.get("words").get(j));
                assertEquals(a.length, b.length, "token count of equal word " + i);
                for (int k = 0; k < a.length; k++) {
                    out.addArray().add(a[k]).add(b[k]);
                }
            }
        }
        return out;
    }

    private static int[] positions(Encoding e, JsonNode word) {
        return e.tokenPositionsOf(word.get("start_utf16").asInt(), word.get("end_utf16").asInt());
    }
}

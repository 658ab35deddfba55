package io.jmmdit.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** CLIP ids, tokens and word spans against {@code cases.json} (transformers' slow CLIPTokenizer without ftfy). */
class ClipTokenizerTest {

    private static final PromptTokenizer CLIP = Tokenizers.load(GoldenCases.clipFolder());

    @TestFactory
    Stream<DynamicTest> idsEqualGolden() {
        return GoldenCases.cases().stream().map(c -> DynamicTest.dynamicTest(GoldenCases.name(c), () -> {
            Encoding e = CLIP.encode(c.get("prompt").asText(), 77);
            JsonNode g = c.get("clip");
            assertArrayEquals(GoldenCases.ints(g.get("input_ids")), e.ids(), "input_ids");
            assertEquals(g.get("eos_position").asInt() + 1, e.length(), "unpadded length");
            assertEquals(Arrays.stream(GoldenCases.ints(g.get("attention_mask"))).sum(), e.length(), "mask");
        }));
    }

    @TestFactory
    Stream<DynamicTest> tokensEqualGolden() {
        return GoldenCases.cases().stream().map(c -> DynamicTest.dynamicTest(GoldenCases.name(c), () -> {
            Encoding e = CLIP.encode(c.get("prompt").asText(), 77);
            for (JsonNode t : c.get("clip").get("tokens")) {
                int pos = t.get(0).asInt();
                if (pos < 76) {
                    assertEquals(t.get(1).asText(), e.tokens()[pos], "token at " + pos);
                }
            }
            assertEquals(ClipTokenizer.BOS, e.tokens()[0]);
            assertEquals(ClipTokenizer.EOS, e.tokens()[e.length() - 1]);
        }));
    }

    @TestFactory
    Stream<DynamicTest> wordSpansFindGoldenPositions() {
        return GoldenCases.cases().stream()
                .filter(c -> c.get("words_alignment_valid").get("clip").asBoolean())
                .map(c -> DynamicTest.dynamicTest(GoldenCases.name(c), () -> {
                    Encoding e = CLIP.encode(c.get("prompt").asText(), 77);
                    for (JsonNode w : c.get("words")) {
                        int[] expected = Arrays.stream(GoldenCases.ints(w.get("clip_token_positions")))
                                .filter(p -> p < 76).toArray();
                        assertArrayEquals(expected,
                                e.tokenPositionsOf(w.get("start_utf16").asInt(), w.get("end_utf16").asInt()),
                                "positions of word '" + w.get("word").asText() + "'");
                    }
                }));
    }

    @Test
    void specialAndPadPositionsHaveNoSpan() {
        Encoding e = CLIP.encode("a cat", 77);
        assertEquals(4, e.length());
        for (int p : new int[] {0, 3, 4, 76}) {
            assertEquals(-1, e.starts()[p], "start at " + p);
            assertEquals(-1, e.ends()[p], "end at " + p);
        }
        assertArrayEquals(new int[] {0, 1}, new int[] {e.starts()[1], e.ends()[1]}, "a");
        assertArrayEquals(new int[] {2, 5}, new int[] {e.starts()[2], e.ends()[2]}, "cat");
    }

    @Test
    void truncationKeepsBosFirstTokensEos() {
        JsonNode c = GoldenCases.cases().get(18);
        assertTrue(c.get("clip").get("truncated").asBoolean(), "case 18 truncates CLIP");
        List<JsonNode> tokens = list(c.get("clip").get("tokens"));
        Encoding e = CLIP.encode(c.get("prompt").asText(), 10);
        assertEquals(10, e.ids().length);
        assertEquals(10, e.length());
        int[] expected = IntStream.range(0, 10).map(p -> p == 0 ? 49406 : p == 9 ? 49407
                : tokens.get(p - 1).get(2).asInt()).toArray();
        assertArrayEquals(expected, e.ids());
    }

    @Test
    void paddingFillsWithEos() {
        Encoding e = CLIP.encode("", 77);
        assertEquals(2, e.length());
        assertArrayEquals(IntStream.range(0, 77).map(p -> p == 0 ? 49406 : 49407).toArray(), e.ids());
        assertEquals(5, CLIP.encode("cat", 5).ids().length);
        assertThrows(IllegalArgumentException.class, () -> CLIP.encode("cat", 1));
    }

    @Test
    void capitalSigmaLowersLikePython() {
        // CPython 3.11: "ΟΣ7".lower() == "ος7", "ΟΣΑ".lower() == "οσα", "이Σ".lower() == "이σ", "AΣ'".lower() == "aς'"
        String[][] pairs = {{"ΟΣ7", "ος7"}, {"ΟΣΑ", "οσα"}, {"이Σ", "이σ"}, {"AΣ'", "aς'"}, {"Σ", "σ"}};
        for (String[] p : pairs) {
            assertArrayEquals(CLIP.encode(p[1], 77).ids(), CLIP.encode(p[0], 77).ids(), p[0]);
        }
    }

    @Test
    void unicode14EmojiAreKept() {
        // U+1FAE0 MELTING FACE (Unicode 14): an So symbol for Python 3.11, unassigned for Java 17; HF keeps it
        Encoding e = CLIP.encode("a \uD83E\uDEE0", 77);
        assertTrue(e.length() > 3, "the emoji must not be dropped");
        assertArrayEquals(IntStream.range(2, e.length() - 1).toArray(), e.tokenPositionsOf(2, 4));
    }

    private static List<JsonNode> list(JsonNode array) {
        return IntStream.range(0, array.size()).mapToObj(array::get).toList();
    }
}

package io.jmmdit.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** T5 ids, pieces and word spans against {@code cases.json} (sentencepiece 0.1.97 on spiece.model). */
class T5TokenizerTest {

    private static final PromptTokenizer T5 = Tokenizers.load(GoldenCases.t5Folder());

    @TestFactory
    Stream<DynamicTest> ids512And256EqualGolden() {
        return GoldenCases.cases().stream().flatMap(c -> Stream.of(512, 256).map(len ->
                DynamicTest.dynamicTest(GoldenCases.name(c) + " @" + len, () -> {
                    Encoding e = T5.encode(c.get("prompt").asText(), len);
                    JsonNode g = c.get("t5").get(String.valueOf(len));
                    assertArrayEquals(GoldenCases.ints(g.get("input_ids")), e.ids(), "input_ids");
                    assertEquals(g.get("eos_position").asInt() + 1, e.length(), "unpadded length");
                    assertEquals(Arrays.stream(GoldenCases.ints(g.get("attention_mask"))).sum(), e.length(), "mask");
                })));
    }

    @TestFactory
    Stream<DynamicTest> piecesEqualGolden() {
        return GoldenCases.cases().stream().map(c -> DynamicTest.dynamicTest(GoldenCases.name(c), () -> {
            JsonNode tokens = c.get("t5").get("tokens");
            Encoding e = T5.encode(c.get("prompt").asText(), tokens.size() + 1);
            for (JsonNode t : tokens) {
                assertEquals(t.get(1).asText(), e.tokens()[t.get(0).asInt()], "piece at " + t.get(0).asInt());
            }
            assertEquals(T5Tokenizer.EOS, e.tokens()[tokens.size()]);
        }));
    }

    @TestFactory
    Stream<DynamicTest> wordSpansFindGoldenPositions() {
        return GoldenCases.cases().stream()
                .filter(c -> c.get("words_alignment_valid").get("t5").asBoolean())
                .flatMap(c -> Stream.of(512, 256).map(len ->
                        DynamicTest.dynamicTest(GoldenCases.name(c) + " @" + len, () -> {
                            Encoding e = T5.encode(c.get("prompt").asText(), len);
                            for (JsonNode w : c.get("words")) {
                                int[] expected = Arrays.stream(GoldenCases.ints(w.get("t5_token_positions")))
                                        .filter(p -> p < len - 1).toArray();
                                assertArrayEquals(expected,
                                        e.tokenPositionsOf(w.get("start_utf16").asInt(), w.get("end_utf16").asInt()),
                                        "positions of word '" + w.get("word").asText() + "'");
                            }
                        })));
    }

    @Test
    void spansLeaveOutWhitespaceAndPadHasNone() {
        // "▁", "a", "▁cat", "</s>", "<pad>"…
        Encoding e = T5.encode("a cat", 8);
        assertArrayEquals(new int[] {3, 9, 1712, 1, 0, 0, 0, 0}, e.ids());
        assertArrayEquals(new int[] {0, 0, 2, -1, -1, -1, -1, -1}, e.starts());
        assertArrayEquals(new int[] {0, 1, 5, -1, -1, -1, -1, -1}, e.ends());
        assertArrayEquals(new int[] {0, 1}, e.tokenPositionsOf(0, 1));
        assertArrayEquals(new int[] {2}, e.tokenPositionsOf(2, 5));
        assertArrayEquals(new int[0], e.tokenPositionsOf(1, 2));
    }

    @Test
    void truncationKeepsFirstPiecesThenEos() {
        JsonNode c = GoldenCases.cases().get(18);
        assertTrue(c.get("t5").get("256").get("truncated").asBoolean(), "case 18 truncates T5 256");
        int[] untruncated = GoldenCases.ints(c.get("t5").get("ids_untruncated"));
        Encoding e = T5.encode(c.get("prompt").asText(), 7);
        assertEquals(7, e.length());
        assertArrayEquals(IntStream.range(0, 7).map(p -> p < 6 ? untruncated[p] : 1).toArray(), e.ids());
    }

    @Test
    void emptyPromptIsEosThenPad() {
        Encoding e = T5.encode("", 4);
        assertArrayEquals(new int[] {1, 0, 0, 0}, e.ids());
        assertEquals(1, e.length());
        assertArrayEquals(new int[] {1}, T5.encode("   ", 1).ids());
        assertThrows(IllegalArgumentException.class, () -> T5.encode("cat", 0));
    }
}

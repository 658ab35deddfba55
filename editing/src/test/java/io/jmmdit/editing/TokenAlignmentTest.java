package io.jmmdit.editing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class TokenAlignmentTest {

    private static void assertMap(TokenAlignment a, int[] expectedM, float[] expectedAlpha) {
        for (int j = 0; j < expectedM.length; j++) {
            assertEquals(expectedAlpha[j], a.alpha(j), "alpha(" + j + ") in " + a);
            if (expectedAlpha[j] == 1f) {
                assertEquals(expectedM[j], a.sourceIndex(j), "m(" + j + ") in " + a);
            }
        }
    }

    @Test
    void identicalPromptsAreIdentity() {
        int[] ids = {5, 6, 7, 1, 0, 0};
        assertTrue(TokenAlignment.align(ids, 4, ids, 4, 6).isIdentity());
    }

    @Test
    void substitutionAlignsAsTwoGaps() {
        // a cat sits </s>  ->  a dog sits </s>
        TokenAlignment a = TokenAlignment.align(new int[] {3, 10, 20, 1}, 4, new int[] {3, 11, 20, 1}, 4, 6);
        assertMap(a, new int[] {0, -1, 2, 3, 4, 5}, new float[] {1, 0, 1, 1, 1, 1});
        assertEquals(-1, a.sourceIndex(1));
        assertFalse(a.isIdentity());
    }

    @Test
    void insertionShiftsLaterTokens() {
        // a hat </s> -> a red hat </s>
        TokenAlignment a = TokenAlignment.align(new int[] {3, 30, 1}, 3, new int[] {3, 40, 30, 1}, 4, 5);
        assertMap(a, new int[] {0, -1, 1, 2, 4}, new float[] {1, 0, 1, 1, 1});
    }

    @Test
    void deletionSkipsSourceTokens() {
        // a red hat </s> -> a hat </s>
        TokenAlignment a = TokenAlignment.align(new int[] {3, 40, 30, 1}, 4, new int[] {3, 30, 1}, 3, 5);
        assertMap(a, new int[] {0, 2, 3, 3, 4}, new float[] {1, 1, 1, 1, 1});
    }

    @Test
    void repeatedWordsKeepOrder() {
        // a b a </s> -> a a </s>: both target a's match distinct source a's in order
        TokenAlignment a = TokenAlignment.align(new int[] {7, 8, 7, 1}, 4, new int[] {7, 7, 1}, 3, 4);
        assertEquals(1f, a.alpha(0));
        assertEquals(1f, a.alpha(1));
        assertTrue(a.sourceIndex(0) < a.sourceIndex(1));
        assertEquals(7, new int[] {7, 8, 7, 1}[a.sourceIndex(1)]);
        assertEquals(3, a.sourceIndex(2));
    }

    @Test
    void paddingMapsToItself() {
        TokenAlignment a = TokenAlignment.align(new int[] {3, 1, 0, 0, 0}, 2, new int[] {3, 4, 1, 0, 0}, 3, 5);
        assertEquals(3, a.sourceIndex(3));
        assertEquals(4, a.sourceIndex(4));
        assertEquals(1f, a.alpha(4));
    }

    @Test
    void rejectsLengthsBeyondTheSequences() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenAlignment.align(new int[] {1}, 2, new int[] {1}, 1, 4));
        assertTrue(e.getMessage().contains("unpadded lengths"));
    }

    /** Every T5 edit pair of the golden tokenizer cases: tokens of unchanged words and the EOS map as the diff says. */
    @Test
    void goldenEditPairsMapUnchangedWords() throws IOException {
        // the model module's copy of golden/tokenizers/cases.json (Maven runs tests in the module folder)
        JsonNode root = new ObjectMapper().readTree(Path.of("..", "model", "src", "test", "resources", "golden", "tokenizers", "cases.json").toFile());
        JsonNode cases = root.get("cases");
        int checked = 0;
        for (JsonNode pair : root.get("edit_pairs")) {
            JsonNode src = cases.get(pair.get("source").asInt()).get("t5").get("512");
            JsonNode tgt = cases.get(pair.get("target").asInt()).get("t5").get("512");
            int[] s = ints(src.get("input_ids"));
            int[] t = ints(tgt.get("input_ids"));
            int sl = src.get("eos_position").asInt() + 1;
            int tl = tgt.get("eos_position").asInt() + 1;
            TokenAlignment a = TokenAlignment.align(s, sl, t, tl, 512);
            for (JsonNode m : pair.get("t5_token_map_equal_words")) {
                assertEquals(m.get(0).asInt(), a.sourceIndex(m.get(1).asInt()), pair.get("target_prompt").asText());
                assertEquals(1f, a.alpha(m.get(1).asInt()));
                checked++;
            }
            JsonNode eos = pair.get("t5_special").get("eos_512");
            assertEquals(eos.get(0).asInt(), a.sourceIndex(eos.get(1).asInt()));
            assertEquals(511, a.sourceIndex(511));
        }
        assertTrue(checked > 30, "edit pairs checked " + checked);
    }

    private static int[] ints(JsonNode arr) {
        int[] r = new int[arr.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = arr.get(i).asInt();
        }
        return r;
    }
}

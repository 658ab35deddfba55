package io.jmmdit.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** 2000 random prompts against sentencepiece 0.1.97 ({@code golden/tokenizers/t5-fuzz/README.md}). */
class T5FuzzTest {

    @Test
    void randomPromptsEqualSentencepiece() throws IOException {
        PromptTokenizer t5 = Tokenizers.load(GoldenCases.t5Folder());
        JsonNode cases = new ObjectMapper().readTree(GoldenCases.resource("t5-fuzz/cases.json").toFile()).get("cases");
        assertEquals(2000, cases.size());
        List<Executable> checks = new ArrayList<>();
        for (JsonNode c : cases) {
            checks.add(() -> {
                String prompt = c.get("prompt").asText();
                int[] ids = GoldenCases.ints(c.get("ids"));
                Encoding e = t5.encode(prompt, ids.length + 1);
                String name = "prompt " + prompt.codePoints().mapToObj(Integer::toHexString).toList();
                assertArrayEquals(ids, Arrays.copyOf(e.ids(), ids.length), name);
                for (int k = 0; k < ids.length; k++) {
                    assertEquals(c.get("pieces").get(k).asText(), e.tokens()[k], name + " piece " + k);
                }
            });
        }
        assertAll(checks);
    }
}

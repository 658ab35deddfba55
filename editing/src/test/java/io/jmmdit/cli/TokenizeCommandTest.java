package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.model.testutil.TestData;

/** {@code jmmdit tokenize} on the demo model's tokenizers against the golden ids of transformers / tokenizers. */
class TokenizeCommandTest {

    private static JsonNode cases;

    @TempDir
    Path dir;

    @BeforeAll
    static void readCases() throws Exception {
        cases = new ObjectMapper().readTree(TestData.golden("tokenizers/cases.json").toFile()).get("cases");
    }

    private static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }

    private static JsonNode json(String... args) throws Exception {
        JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), args);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("ids", "tokens"), List.copyOf(iterable(j.fieldNames())));
        assertEquals(j.get("ids").size(), j.get("tokens").size());
        return j;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    @Test
    void clipIdsOfAPipelineFolderMatchTheGoldenCases() throws Exception {
        String model = TestData.demoModel().toString();
        for (int c : new int[] {0, 17}) { // 17 is truncated at 77
            JsonNode g = cases.get(c);
            JsonNode j = json("tokenize", "--model", model, "--json", g.get("prompt").asText());
            assertArrayEquals(ints(g.at("/clip/input_ids")), ints(j.get("ids")), "case " + c);
        }
        assertEquals("a</w>", json("tokenize", "--model", model, "--json", cases.get(0).get("prompt").asText()).at("/tokens/1").asText());
    }

    @Test
    void t5IdsAtBothPipelineLengths() throws Exception {
        String model = TestData.demoModel().toString();
        for (int c : new int[] {0, 17, 18}) {
            JsonNode g = cases.get(c);
            String prompt = g.get("prompt").asText();
            JsonNode j512 = json("tokenize", "--model", model, "--tokenizer", "tokenizer_2", "--max-length", "512", "--json", prompt);
            assertArrayEquals(ints(g.at("/t5/512/input_ids")), ints(j512.get("ids")), "case " + c);
            JsonNode j256 = json("tokenize", "--model", model, "--tokenizer", "tokenizer_2", "--max-length", "256", "--json", prompt);
            assertArrayEquals(ints(g.at("/t5/256/input_ids")), ints(j256.get("ids")), "case " + c);
        }
        // a tokenizer folder given directly, default length 512
        JsonNode d = json("tokenize", "--model", TestData.demoModel().resolve("tokenizer_2").toString(), "--json", cases.get(0).get("prompt").asText());
        assertArrayEquals(ints(cases.get(0).at("/t5/512/input_ids")), ints(d.get("ids")));
    }

    @Test
    void textHasOneLinePerPositionWithSpans() {
        JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), "tokenize", "--model", TestData.demoModel().toString(), "a cat sitting");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(77, lines.size());
        assertEquals("0 49406 <|startoftext|> [-1,-1)", lines.get(0));
        assertEquals("1 320 a</w> [0,1)", lines.get(1));
        assertEquals("2 2368 cat</w> [2,5)", lines.get(2));
        assertEquals("3 4919 sitting</w> [6,13)", lines.get(3));
        assertEquals("4 49407 <|endoftext|> [-1,-1)", lines.get(4));
        assertEquals("76 49407 <|endoftext|> [-1,-1)", lines.get(76));

        JmmditTest.Run t5 = JmmditTest.run(Jmmdit.commandLine(), "tokenize", "--model", TestData.demoModel().toString(),
                "--tokenizer", "tokenizer_2", "--max-length", "4", "a cat sitting on a bench");
        assertEquals(0, t5.code(), t5.err());
        assertEquals(List.of("0 3 ▁ [0,0)", "1 9 a [0,1)", "2 1712 ▁cat [2,5)", "3 1 </s> [-1,-1)"), t5.out().lines().toList());
    }

    @Test
    void errorsNameThePath() throws Exception {
        Path none = dir.resolve("none");
        JmmditTest.Run missing = JmmditTest.run(Jmmdit.commandLine(), "tokenize", "--model", none.toString(), "x");
        assertEquals(Jmmdit.EXIT_FAILURE, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("jmmdit: " + none), missing.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        JmmditTest.Run noFiles = JmmditTest.run(Jmmdit.commandLine(), "tokenize", "--model", empty.toString(), "x");
        assertEquals(Jmmdit.EXIT_FAILURE, noFiles.code());
        assertEquals(1, noFiles.err().lines().count(), noFiles.err());
        assertTrue(noFiles.err().contains(empty.toString()) && noFiles.err().contains("vocab.json"), noFiles.err());

        Path pipe = Files.createDirectories(dir.resolve("pipe"));
        Files.writeString(pipe.resolve("model_index.json"), "{}");
        JmmditTest.Run noSub = JmmditTest.run(Jmmdit.commandLine(), "tokenize", "--model", pipe.toString(), "--tokenizer", "tokenizer_2", "x");
        assertEquals(Jmmdit.EXIT_FAILURE, noSub.code());
        assertTrue(noSub.err().contains(pipe.toString()) && noSub.err().contains("tokenizer_2"), noSub.err());

        JmmditTest.Run badName = JmmditTest.run(Jmmdit.commandLine(), "tokenize", "--model", pipe.toString(), "--tokenizer", "../x", "x");
        assertEquals(Jmmdit.EXIT_FAILURE, badName.code());
        assertTrue(badName.err().contains("--tokenizer"), badName.err());
    }
}

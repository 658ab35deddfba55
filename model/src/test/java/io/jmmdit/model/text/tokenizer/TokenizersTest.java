package io.jmmdit.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder loading: the FLUX demo folders, config overrides, tokenizer.json, and errors. */
class TokenizersTest {

    @Test
    void fluxTokenizerFoldersLoad() {
        // golden/tokenizers/clip and t5 hold demo-model/tokenizer and tokenizer_2 (configs + identical vocab files)
        PromptTokenizer clip = Tokenizers.load(GoldenCases.clipFolder());
        assertInstanceOf(ClipTokenizer.class, clip);
        assertEquals(77, clip.defaultMaxLength());
        PromptTokenizer t5 = Tokenizers.load(GoldenCases.t5Folder());
        assertInstanceOf(T5Tokenizer.class, t5);
        assertEquals(512, t5.defaultMaxLength());
    }

    @Test
    void clipConfigSetsPadTokenAndCapsMaxLength(@TempDir Path dir) throws IOException {
        copy(GoldenCases.clipFolder(), dir, "vocab.json", "merges.txt");
        // SD3's CLIP-G folder pads with "!"; ComfyUI's copy says model_max_length 8192 (more than CLIP's 77)
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"pad_token\": {\"content\": \"!\"}, \"model_max_length\": 8192}");
        PromptTokenizer clip = Tokenizers.load(dir);
        assertEquals(77, clip.defaultMaxLength());
        Encoding e = clip.encode("a cat", 6);
        // vocab.json: "!" = 0, "a</w>" = 320, "cat</w>" = 2368
        assertArrayEquals(new int[] {49406, 320, 2368, 49407, 0, 0}, e.ids());
        assertEquals("!", e.tokens()[5]);

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 64}");
        assertEquals(64, Tokenizers.load(dir).defaultMaxLength());
    }

    @Test
    void tokenizerJsonGivesTheSameIds(@TempDir Path dir) throws IOException {
        writeTokenizerJson(SentencePieceModel.read(GoldenCases.t5Folder().resolve("spiece.model")), dir);
        PromptTokenizer t5 = Tokenizers.load(dir);
        assertInstanceOf(T5Tokenizer.class, t5);
        for (JsonNode c : GoldenCases.cases()) {
            assertArrayEquals(GoldenCases.ints(c.get("t5").get("512").get("input_ids")),
                    t5.encode(c.get("prompt").asText(), 512).ids(), GoldenCases.name(c));
        }
    }

    @Test
    void folderWithoutTokenizerFilesIsRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        for (String expected : new String[] {"vocab.json", "merges.txt", "spiece.model", "tokenizer.json"}) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
        Path missing = dir.resolve("nope");
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(missing));
        assertTrue(m.getMessage().contains(missing.toString()), m.getMessage());
    }

    @Test
    void nonUnigramTokenizerJsonIsRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("Unigram"), e.getMessage());
    }

    private static void copy(Path from, Path to, String... names) throws IOException {
        for (String n : names) {
            Files.copy(from.resolve(n), to.resolve(n));
        }
    }

    /** The tokenizer.json layout transformers' SpmConverter writes for T5 (only the fields the loader reads). */
    private static void writeTokenizerJson(SentencePieceModel m, Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < m.pieces().length; i++) {
            if (m.types()[i] != SentencePieceModel.NORMAL) {
                added.addObject().put("id", i).put("content", m.pieces()[i]).put("special", true);
            }
        }
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode normalizers = normalizer.putArray("normalizers");
        normalizers.addObject().put("type", "Precompiled")
                .put("precompiled_charsmap", Base64.getEncoder().encodeToString(m.precompiledCharsmap()));
        normalizers.addObject().put("type", "Strip").put("strip_left", false).put("strip_right", true);
        root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "\u2581")
                .put("prepend_scheme", "always").put("split", true);
        ObjectNode model = root.putObject("model").put("type", "Unigram").put("unk_id", 2);
        ArrayNode vocab = model.putArray("vocab");
        for (int i = 0; i < m.pieces().length; i++) {
            vocab.addArray().add(m.pieces()[i]).add((double) m.scores()[i]);
        }
        json.writeValue(dir.resolve("tokenizer.json").toFile(), root);
    }
}

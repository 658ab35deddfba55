package io.jmmdit.model.text.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Loads the tokenizer of a diffusers {@code tokenizer*} folder. */
public final class Tokenizers {

    /** CLIP's text model has 77 positions. */
    public static final int CLIP_MAX_LENGTH = 77;
    /** FLUX.1-dev's {@code max_sequence_length} (schnell uses 256). */
    public static final int T5_MAX_LENGTH = 512;

    private Tokenizers() {
    }

    /**
     * {@code vocab.json} + {@code merges.txt} → {@link ClipTokenizer} (default length 77, or {@code model_max_length}
     * of {@code tokenizer_config.json} when that is smaller; pad token from the config, {@code <|endoftext|>} if
     * absent); else {@code spiece.model} or {@code tokenizer.json} → {@link T5Tokenizer} (default length 512).
     */
    public static PromptTokenizer load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("tokenizer folder " + folder + " does not exist or is not a folder");
        }
        Path vocab = folder.resolve("vocab.json");
        Path merges = folder.resolve("merges.txt");
        Path spiece = folder.resolve("spiece.model");
        Path json = folder.resolve("tokenizer.json");
        JsonNode config = config(folder.resolve("tokenizer_config.json"));
        if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            int max = CLIP_MAX_LENGTH;
            JsonNode m = config.path("model_max_length");
            if (m.canConvertToInt() && m.asInt() >= 2 && m.asInt() <= CLIP_MAX_LENGTH) {
                max = m.asInt();
            }
            return ClipTokenizer.load(vocab, merges, token(config.path("pad_token"), ClipTokenizer.EOS), max);
        }
        if (Files.isRegularFile(spiece)) {
            return T5Tokenizer.fromSentencePiece(spiece, T5_MAX_LENGTH);
        }
        if (Files.isRegularFile(json)) {
            return T5Tokenizer.fromTokenizerJson(json, T5_MAX_LENGTH);
        }
        throw new IllegalArgumentException("no tokenizer in " + folder + ": expected vocab.json + merges.txt (CLIP BPE),"
                + " spiece.model or tokenizer.json (T5 sentencepiece unigram)");
    }

    private static JsonNode config(Path file) {
        if (!Files.isRegularFile(file)) {
            return new ObjectMapper().createObjectNode();
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A special token in a config: a string or an AddedToken object with {@code content}. */
    private static String token(JsonNode node, String fallback) {
        if (node.isTextual()) {
            return node.asText();
        }
        return node.path("content").isTextual() ? node.path("content").asText() : fallback;
    }
}

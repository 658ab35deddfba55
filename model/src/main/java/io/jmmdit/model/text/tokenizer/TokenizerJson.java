package io.jmmdit.model.text.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an HF {@code tokenizer.json} holding a sentencepiece-converted unigram model (transformers'
 * {@code SpmConverter}): {@code model.vocab = [[piece, score], …]}, {@code model.unk_id}, a {@code Precompiled}
 * normalizer (alone or in a {@code Sequence}) whose base64 {@code precompiled_charsmap} is sentencepiece's, and a
 * {@code Metaspace} pre-tokenizer that decides the dummy prefix. Special added tokens become control pieces.
 */
final class TokenizerJson {

    private TokenizerJson() {
    }

    static SentencePieceModel readUnigram(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonNode model = root.path("model");
        if (!"Unigram".equals(model.path("type").asText())) {
            throw new IllegalArgumentException(file + ": model.type is '" + model.path("type").asText()
                    + "', expected 'Unigram' (a sentencepiece/T5 tokenizer)");
        }
        JsonNode vocab = model.path("vocab");
        if (!vocab.isArray() || vocab.isEmpty()) {
            throw new IllegalArgumentException(file + ": model.vocab is missing or empty");
        }
        int n = vocab.size();
        String[] pieces = new String[n];
        float[] scores = new float[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            pieces[i] = vocab.get(i).get(0).asText();
            scores[i] = (float) vocab.get(i).get(1).asDouble();
            types[i] = SentencePieceModel.NORMAL;
        }
        for (JsonNode added : root.path("added_tokens")) {
            int id = added.path("id").asInt(-1);
            if (added.path("special").asBoolean() && id >= 0 && id < n) {
                types[id] = SentencePieceModel.CONTROL;
            }
        }
        JsonNode unk = model.path("unk_id");
        if (!unk.isInt() || unk.asInt() < 0 || unk.asInt() >= n) {
            throw new IllegalArgumentException(file + ": model.unk_id is missing or out of range");
        }
        types[unk.asInt()] = SentencePieceModel.UNKNOWN;
        JsonNode charsmap = find(root.path("normalizer"), "Precompiled");
        byte[] rules = charsmap == null ? new byte[0]
                : Base64.getDecoder().decode(charsmap.path("precompiled_charsmap").asText());
        JsonNode metaspace = find(root.path("pre_tokenizer"), "Metaspace");
        // Metaspace: older files say add_prefix_space, newer ones prepend_scheme (always | first | never).
        boolean dummyPrefix = metaspace == null || (metaspace.has("prepend_scheme")
                ? !"never".equals(metaspace.path("prepend_scheme").asText())
                : metaspace.path("add_prefix_space").asBoolean(true));
        return new SentencePieceModel(pieces, scores, types, rules, dummyPrefix, true, true);
    }

    /** The component of {@code type} in {@code node} or in its {@code normalizers}/{@code pretokenizers} list. */
    private static JsonNode find(JsonNode node, String type) {
        if (type.equals(node.path("type").asText())) {
            return node;
        }
        for (String list : new String[] {"normalizers", "pretokenizers"}) {
            for (JsonNode child : node.path(list)) {
                JsonNode found = find(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}

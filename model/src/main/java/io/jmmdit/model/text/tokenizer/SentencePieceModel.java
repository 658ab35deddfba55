package io.jmmdit.model.text.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a sentencepiece unigram model that encoding uses: pieces with scores and types, and the normalizer
 * spec (precompiled charsmap + whitespace flags).
 *
 * @param types               {@code ModelProto.SentencePiece.Type} per piece ({@link #NORMAL}, {@link #UNKNOWN}, …)
 * @param precompiledCharsmap {@code NormalizerSpec.precompiled_charsmap}; empty for the identity normalizer
 */
record SentencePieceModel(String[] pieces, float[] scores, int[] types, byte[] precompiledCharsmap,
        boolean addDummyPrefix, boolean removeExtraWhitespaces, boolean escapeWhitespaces) {

    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    private static final int UNIGRAM = 1;

    SentencePieceModel {
        if (pieces.length != scores.length || pieces.length != types.length) {
            throw new IllegalArgumentException("pieces, scores and types differ in length");
        }
    }

    /** Index of the first piece equal to {@code piece}, or -1. */
    int idOf(String piece) {
        for (int i = 0; i < pieces.length; i++) {
            if (pieces[i].equals(piece)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses {@code spiece.model} ({@code sentencepiece_model.proto}: {@code ModelProto} fields 1 pieces, 2
     * trainer_spec, 3 normalizer_spec). Only what unigram encoding needs is kept; features this port does not
     * implement (BPE/word/char models, byte fallback, whitespace-as-suffix, user-defined or byte pieces) are rejected.
     */
    static SentencePieceModel read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sentencepiece model " + file, e);
        }
        try {
            return parse(data);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static SentencePieceModel parse(byte[] data) {
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        byte[] charsmap = new byte[0];
        boolean addDummyPrefix = true;
        boolean removeExtraWhitespaces = true;
        boolean escapeWhitespaces = true;
        ProtoReader model = new ProtoReader(data);
        while (model.hasMore()) {
            int tag = model.tag();
            switch (tag) {
                case 1 << 3 | ProtoReader.LENGTH_DELIMITED -> {
                    // SentencePiece: 1 piece, 2 score, 3 type (default NORMAL)
                    ProtoReader p = model.message();
                    String piece = "";
                    float score = 0f;
                    int type = NORMAL;
                    while (p.hasMore()) {
                        int t = p.tag();
                        switch (t) {
                            case 1 << 3 | ProtoReader.LENGTH_DELIMITED -> piece = p.string();
                            case 2 << 3 | ProtoReader.FIXED32 -> score = p.fixed32AsFloat();
                            case 3 << 3 | ProtoReader.VARINT -> type = (int) p.varint();
                            default -> p.skip(t & 7);
                        }
                    }
                    if (type == USER_DEFINED || type == BYTE) {
                        throw new UnsupportedOperationException("piece '" + piece + "' has type " + type
                                + " (user-defined/byte pieces are not supported)");
                    }
                    pieces.add(piece);
                    scores.add(score);
                    types.add(type);
                }
                case 2 << 3 | ProtoReader.LENGTH_DELIMITED -> checkTrainerSpec(model.message());
                case 3 << 3 | ProtoReader.LENGTH_DELIMITED -> {
                    // NormalizerSpec: 2 precompiled_charsmap, 3 add_dummy_prefix, 4 remove_extra_whitespaces,
                    // 5 escape_whitespaces (all three default true)
                    ProtoReader n = model.message();
                    while (n.hasMore()) {
                        int t = n.tag();
                        switch (t) {
                            case 2 << 3 | ProtoReader.LENGTH_DELIMITED -> charsmap = n.bytes();
                            case 3 << 3 | ProtoReader.VARINT -> addDummyPrefix = n.varint() != 0;
                            case 4 << 3 | ProtoReader.VARINT -> removeExtraWhitespaces = n.varint() != 0;
                            case 5 << 3 | ProtoReader.VARINT -> escapeWhitespaces = n.varint() != 0;
                            default -> n.skip(t & 7);
                        }
                    }
                }
                default -> model.skip(tag & 7);
            }
        }
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("no pieces in the model");
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        return new SentencePieceModel(pieces.toArray(String[]::new), s,
                types.stream().mapToInt(Integer::intValue).toArray(), charsmap,
                addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces);
    }

    /** TrainerSpec: 3 model_type (UNIGRAM = 1 default), 24 treat_whitespace_as_suffix, 35 byte_fallback. */
    private static void checkTrainerSpec(ProtoReader t) {
        while (t.hasMore()) {
            int tag = t.tag();
            switch (tag) {
                case 3 << 3 | ProtoReader.VARINT -> {
                    long type = t.varint();
                    if (type != UNIGRAM) {
                        throw new UnsupportedOperationException("model_type " + type + " is not unigram (1)");
                    }
                }
                case 24 << 3 | ProtoReader.VARINT -> {
                    if (t.varint() != 0) {
                        throw new UnsupportedOperationException("treat_whitespace_as_suffix is not supported");
                    }
                }
                case 35 << 3 | ProtoReader.VARINT -> {
                    if (t.varint() != 0) {
                        throw new UnsupportedOperationException("byte_fallback is not supported");
                    }
                }
                default -> t.skip(tag & 7);
            }
        }
    }
}

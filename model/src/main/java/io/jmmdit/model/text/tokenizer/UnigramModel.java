package io.jmmdit.model.text.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * sentencepiece {@code unigram::Model::Encode}: Viterbi over all vocabulary pieces that match the normalized text,
 * maximizing the sum of piece scores (float arithmetic, ties keep the earliest start as the lattice does). A char
 * position no one-char piece covers gets an unknown node scored {@code min_score − 10}.
 */
final class UnigramModel {

    /** {@code kUnkPenalty}. */
    private static final float UNK_PENALTY = 10.0f;

    /** A piece of the best path: normalized bytes [begin, end) and its vocabulary id. */
    record Piece(int begin, int end, int id) {
    }

    private final Map<String, Integer> ids;
    private final float[] scores;
    private final int unkId;
    private final float unkScore;
    private final int maxPieceBytes;

    UnigramModel(SentencePieceModel model) {
        String[] pieces = model.pieces();
        int[] types = model.types();
        this.scores = model.scores().clone();
        this.ids = new HashMap<>(2 * pieces.length);
        int unk = -1;
        float minScore = Float.MAX_VALUE;
        int maxBytes = 0;
        for (int i = 0; i < pieces.length; i++) {
            // sentencepiece's trie holds normal, user-defined and unused pieces and PopulateNodes skips the unused
            // ones; user-defined pieces are rejected when the model is read.
            if (types[i] == SentencePieceModel.NORMAL) {
                ids.putIfAbsent(pieces[i], i);
                maxBytes = Math.max(maxBytes, pieces[i].getBytes(StandardCharsets.UTF_8).length);
                minScore = Math.min(minScore, scores[i]);
            }
            if (types[i] == SentencePieceModel.UNKNOWN && unk < 0) {
                unk = i;
            }
        }
        if (unk < 0) {
            throw new IllegalArgumentException("the model has no unknown piece");
        }
        this.unkId = unk;
        this.unkScore = minScore - UNK_PENALTY;
        this.maxPieceBytes = maxBytes;
    }

    int unkId() {
        return unkId;
    }

    /** Best segmentation of normalized UTF-8 {@code text[0, length)}. */
    List<Piece> encode(byte[] text, int length) {
        float[] best = new float[length + 1];
        int[] from = new int[length + 1];
        int[] idAt = new int[length + 1];
        Arrays.fill(from, -1);
        for (int begin = 0; begin < length; ) {
            int charLen = Math.min(SentencePieceNormalizer.Utf8.charLength(text[begin]), length - begin);
            // Every char boundary is reached: the previous char had a one-char piece or an unknown node.
            float here = best[begin];
            boolean hasSingleNode = false;
            int limit = Math.min(length, begin + maxPieceBytes);
            for (int end = begin + charLen; end <= limit; ) {
                Integer id = ids.get(new String(text, begin, end - begin, StandardCharsets.UTF_8));
                if (id != null) {
                    relax(best, from, idAt, begin, end, id, here + scores[id]);
                    hasSingleNode |= end - begin == charLen;
                }
                if (end == length) {
                    break;
                }
                end += Math.min(SentencePieceNormalizer.Utf8.charLength(text[end]), length - end);
            }
            if (!hasSingleNode) {
                relax(best, from, idAt, begin, begin + charLen, unkId, here + unkScore);
            }
            begin += charLen;
        }
        List<Piece> path = new ArrayList<>();
        for (int end = length; end > 0; end = from[end]) {
            path.add(new Piece(from[end], end, idAt[end]));
        }
        Collections.reverse(path);
        return path;
    }

    private static void relax(float[] best, int[] from, int[] idAt, int begin, int end, int id, float score) {
        if (from[end] < 0 || score > best[end]) {
            best[end] = score;
            from[end] = begin;
            idAt[end] = id;
        }
    }
}

package io.jmmdit.model.text.tokenizer;

import java.util.Arrays;

/**
 * sentencepiece's precompiled normalization rules ({@code NormalizerSpec.precompiled_charsmap}, also HF's
 * {@code Precompiled} normalizer): {@code <uint32 LE trie size><darts-clone double array><NUL-terminated
 * replacement strings>}. The trie maps UTF-8 input prefixes to offsets into the replacement strings.
 */
final class PrecompiledCharsMap {

    /** {@code Normalizer::kMaxTrieResultsSize}: only the first 32 matching prefixes are considered. */
    private static final int MAX_TRIE_RESULTS = 32;

    /** A rule: replace the first {@code length} input bytes with {@code replacement}. */
    record Rule(int length, byte[] replacement) {
    }

    private final int[] units;
    private final byte[] replacements;

    PrecompiledCharsMap(byte[] blob) {
        if (blob.length <= 4) {
            throw new IllegalArgumentException("precompiled charsmap is broken (" + blob.length + " bytes)");
        }
        long trieSize = littleEndian(blob, 0) & 0xFFFFFFFFL;
        if (trieSize >= blob.length - 4L || trieSize % 4 != 0) {
            throw new IllegalArgumentException("precompiled charsmap trie size " + trieSize + " does not fit "
                    + blob.length + " bytes");
        }
        units = new int[(int) trieSize / 4];
        for (int i = 0; i < units.length; i++) {
            units[i] = littleEndian(blob, 4 + 4 * i);
        }
        replacements = Arrays.copyOfRange(blob, 4 + (int) trieSize, blob.length);
    }

    private static int littleEndian(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    /**
     * {@code Normalizer::NormalizePrefix} trie part: the longest rule whose key is a prefix of
     * {@code input[from, to)}, or null. Darts-clone {@code commonPrefixSearch}: follow {@code id ^= offset;
     * id ^= byte}, the unit's label must equal the byte, and a leaf below marks a complete key.
     */
    Rule longestPrefix(byte[] input, int from, int to) {
        int found = 0;
        int bestLength = 0;
        int bestValue = 0;
        int id = offset(units[0]);
        for (int i = from; i < to; i++) {
            int c = input[i] & 0xFF;
            id ^= c;
            if (id < 0 || id >= units.length || label(units[id]) != c) {
                break;
            }
            int unit = units[id];
            id ^= offset(unit);
            if (hasLeaf(unit)) {
                if (found < MAX_TRIE_RESULTS) {
                    bestLength = i + 1 - from;
                    bestValue = value(units[id]);
                }
                found++;
            }
        }
        if (bestLength == 0) {
            return null;
        }
        int end = bestValue;
        while (end < replacements.length && replacements[end] != 0) {
            end++;
        }
        return new Rule(bestLength, Arrays.copyOfRange(replacements, bestValue, end));
    }

    private static boolean hasLeaf(int unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static int value(int unit) {
        return unit & 0x7FFFFFFF;
    }

    private static int label(int unit) {
        return unit & (0x80000000 | 0xFF);
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }
}

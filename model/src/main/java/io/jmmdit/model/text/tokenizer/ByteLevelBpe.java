package io.jmmdit.model.text.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GPT-2 style byte-level BPE as in transformers' {@code CLIPTokenizer.bpe}: bytes are mapped to printable chars by
 * {@code bytes_to_unicode}, the last symbol of a word carries {@code </w>}, and the lowest-ranked adjacent pair is
 * merged until none is in {@code merges.txt}.
 */
final class ByteLevelBpe {

    static final String END_OF_WORD = "</w>";

    /** {@code bytes_to_unicode()}: printable Latin-1 bytes map to themselves, the others to U+0100 onwards. */
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + n++);
        }
    }

    private final Map<String, Integer> ranks;
    /** CLIPTokenizer seeds its bpe cache with these, so they come out whole ({@code self.cache}). */
    private final Set<String> unsplittable;

    /** @param merges pairs in rank order, each {@code [first, second]} */
    ByteLevelBpe(List<String[]> merges, Set<String> unsplittable) {
        this.ranks = new HashMap<>(2 * merges.size());
        for (int r = 0; r < merges.size(); r++) {
            ranks.putIfAbsent(merges.get(r)[0] + ' ' + merges.get(r)[1], r);
        }
        this.unsplittable = Set.copyOf(unsplittable);
    }

    /** One char per byte. */
    static String bytesToChars(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** The BPE tokens of one pre-tokenized word given as {@link #bytesToChars} output. */
    List<String> encode(String word) {
        if (unsplittable.contains(word)) {
            return List.of(word);
        }
        List<String> symbols = new ArrayList<>(word.length());
        for (int i = 0; i < word.length(); i++) {
            symbols.add(i == word.length() - 1 ? word.charAt(i) + END_OF_WORD : String.valueOf(word.charAt(i)));
        }
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer r = ranks.get(symbols.get(i) + ' ' + symbols.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    first = symbols.get(i);
                    second = symbols.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            // Merge every non-overlapping occurrence of the pair, left to right.
            List<String> merged = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(first) && symbols.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        return symbols;
    }
}

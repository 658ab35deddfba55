package io.jmmdit.model.text.tokenizer;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Result of {@link PromptTokenizer#encode}: one entry per position of the padded sequence.
 *
 * <p>{@code starts[p]}/{@code ends[p]} are the UTF-16 offsets [start, end) of the prompt characters position
 * {@code p} came from; special and pad tokens have {@code -1, -1}. A token that stands for a word boundary only
 * (sentencepiece's lone {@code ▁}) has the empty span {@code [s, s)} at the start of the word it introduces.
 *
 * @param length unpadded count, including BOS/EOS
 */
public record Encoding(int[] ids, String[] tokens, int[] starts, int[] ends, int length) {

    public Encoding {
        int n = ids.length;
        if (tokens.length != n || starts.length != n || ends.length != n) {
            throw new IllegalArgumentException("ids, tokens, starts and ends must have the same length");
        }
        if (length < 0 || length > n) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + n + "]");
        }
    }

    /**
     * Positions whose span overlaps the characters [charStart, charEnd); an empty span [s, s) counts when
     * charStart ≤ s &lt; charEnd. Special and pad positions never match, nor does an empty range.
     */
    public int[] tokenPositionsOf(int charStart, int charEnd) {
        if (charStart >= charEnd) {
            return new int[0];
        }
        return IntStream.range(0, ids.length)
                .filter(p -> starts[p] >= 0 && (starts[p] == ends[p]
                        ? charStart <= starts[p] && starts[p] < charEnd
                        : starts[p] < charEnd && ends[p] > charStart))
                .toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && length == e.length && Arrays.equals(ids, e.ids)
                && Arrays.equals(tokens, e.tokens) && Arrays.equals(starts, e.starts) && Arrays.equals(ends, e.ends);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + length;
    }

    @Override
    public String toString() {
        return "Encoding[length=" + length + ", ids=" + Arrays.toString(Arrays.copyOf(ids, length)) + "]";
    }
}

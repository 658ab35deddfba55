package io.jmmdit.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EncodingTest {

    // BOS, "▁" boundary of "a" at 0, "a" [0,1), "cat" [2,5), "s" [5,6), EOS, pad
    private final Encoding e = new Encoding(new int[] {9, 3, 1, 2, 4, 8, 0},
            new String[] {"<s>", "▁", "a", "cat", "s", "</s>", "<pad>"},
            new int[] {-1, 0, 0, 2, 5, -1, -1}, new int[] {-1, 0, 1, 5, 6, -1, -1}, 6);

    @Test
    void positionsOverlapTheRange() {
        assertArrayEquals(new int[] {1, 2}, e.tokenPositionsOf(0, 1));
        assertArrayEquals(new int[] {3, 4}, e.tokenPositionsOf(2, 6));
        assertArrayEquals(new int[] {3}, e.tokenPositionsOf(4, 5));
        assertArrayEquals(new int[] {1, 2, 3, 4}, e.tokenPositionsOf(0, 100));
    }

    @Test
    void emptyRangesAndGapsFindNothing() {
        assertArrayEquals(new int[0], e.tokenPositionsOf(1, 2));
        assertArrayEquals(new int[0], e.tokenPositionsOf(3, 3));
        assertArrayEquals(new int[0], e.tokenPositionsOf(6, 9));
    }

    @Test
    void inconsistentArraysAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Encoding(new int[2], new String[1], new int[2], new int[2], 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Encoding(new int[2], new String[2], new int[2], new int[2], 3));
    }
}

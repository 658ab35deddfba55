package io.jmmdit.editing;

import java.util.Arrays;

/**
 * Needleman–Wunsch global alignment of a source and a target token sequence (Prompt-to-Prompt's refinement mapper;
 * ALGORITHMS.md §2): match +1, mismatch −1, gap 0, so a substituted token aligns as a pair of gaps.
 *
 * <p>For every target position j, {@code sourceIndex(j)} is the aligned source position m(j) (−1 where the target
 * token was inserted or substituted) and {@code alpha(j)} is 1 where it matched, else 0. Positions past the unpadded
 * target length (padding) map to themselves with α = 1.
 */
public final class TokenAlignment {

    private static final int MATCH = 1;
    private static final int MISMATCH = -1;
    private static final int GAP = 0;

    private static final byte LEFT = 1;
    private static final byte UP = 2;
    private static final byte DIAG = 3;

    private final int[] mapper;
    private final float[] alphas;

    private TokenAlignment(int[] mapper, float[] alphas) {
        this.mapper = mapper;
        this.alphas = alphas;
    }

    /**
     * Aligns the unpadded prefixes {@code source[0, sourceLength)} and {@code target[0, targetLength)} (end token
     * included) and extends the map to {@code paddedLength} positions.
     */
    public static TokenAlignment align(int[] source, int sourceLength, int[] target, int targetLength, int paddedLength) {
        if (sourceLength > source.length || targetLength > target.length || targetLength > paddedLength || sourceLength > paddedLength) {
            throw new IllegalArgumentException("token alignment: unpadded lengths " + sourceLength + "/" + targetLength
                    + " exceed the sequences (" + source.length + "/" + target.length + ") or the padded length " + paddedLength);
        }
        byte[][] trace = globalAlign(source, sourceLength, target, targetLength);
        int[] mapper = new int[paddedLength];
        float[] alphas = new float[paddedLength];
        int i = sourceLength;
        int j = targetLength;
        while (i > 0 || j > 0) {
            byte t = i == 0 ? LEFT : j == 0 ? UP : trace[i][j];
            if (t == DIAG) {
                i--;
                j--;
                mapper[j] = i;
                alphas[j] = source[i] == target[j] ? 1f : 0f;
            } else if (t == LEFT) {
                j--;
                mapper[j] = -1;
                alphas[j] = 0f;
            } else {
                i--;
            }
        }
        for (int p = targetLength; p < paddedLength; p++) {
            mapper[p] = p;
            alphas[p] = 1f;
        }
        return new TokenAlignment(mapper, alphas);
    }

    /** Score matrix with P2P's tie order: left (gap in source) first, then up, then diagonal. */
    private static byte[][] globalAlign(int[] x, int n, int[] y, int m) {
        int[][] score = new int[n + 1][m + 1];
        byte[][] trace = new byte[n + 1][m + 1];
        for (int i = 1; i <= n; i++) {
            score[i][0] = i * GAP;
            trace[i][0] = UP;
        }
        for (int j = 1; j <= m; j++) {
            score[0][j] = j * GAP;
            trace[0][j] = LEFT;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int left = score[i][j - 1] + GAP;
                int up = score[i - 1][j] + GAP;
                int diag = score[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? MATCH : MISMATCH);
                int best = Math.max(left, Math.max(up, diag));
                score[i][j] = best;
                trace[i][j] = best == left ? LEFT : best == up ? UP : DIAG;
            }
        }
        return trace;
    }

    /** m(j): the source position aligned with target position j, or −1. */
    public int sourceIndex(int j) {
        return mapper[j];
    }

    /** α_j: 1 where target position j takes the source's feature, else 0. */
    public float alpha(int j) {
        return alphas[j];
    }

    public int length() {
        return mapper.length;
    }

    /** True when every position maps to itself with α = 1 (identical prompts). */
    public boolean isIdentity() {
        for (int j = 0; j < mapper.length; j++) {
            if (mapper[j] != j || alphas[j] != 1f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "TokenAlignment{m=" + Arrays.toString(mapper) + ", alpha=" + Arrays.toString(alphas) + "}";
    }
}

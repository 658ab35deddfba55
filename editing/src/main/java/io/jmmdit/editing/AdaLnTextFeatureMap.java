package io.jmmdit.editing;

import java.util.List;

import io.jmmdit.engine.Tensor;

/**
 * FTEdit's AdaLN text-feature replacement (ALGORITHMS.md §2) on the text stream's AdaLN output
 * M = LN(c)·(1 + scale_msa) + shift_msa of a joint block: for each conditional pair,
 * M^a'[j] = α_j·M^b[m(j)] + (1 − α_j)·M^a[j], with b the source row, a the target row, and m, α from
 * {@link TokenAlignment}.
 */
public final class AdaLnTextFeatureMap {

    private final TokenAlignment alignment;
    private final List<RowPair> pairs;

    public AdaLnTextFeatureMap(TokenAlignment alignment, List<RowPair> pairs) {
        this.alignment = alignment;
        this.pairs = List.copyOf(pairs);
    }

    /** The mapped features: a new [B, T, D] tensor whose target rows are replaced; other rows are unchanged. */
    public Tensor apply(Tensor m) {
        if (m.rank() != 3 || m.size(1) != alignment.length()) {
            throw new IllegalArgumentException("AdaLN map: text features " + m.shapeString() + " must be [B, "
                    + alignment.length() + ", D] to match the prompts' token count");
        }
        int t = (int) m.size(1);
        int d = (int) m.size(2);
        float[] v = m.toFloatArray();
        for (RowPair p : pairs) {
            int src = p.sourceRow() * t * d;
            int tgt = p.targetRow() * t * d;
            float[] mapped = new float[t * d];
            for (int j = 0; j < t; j++) {
                float alpha = alignment.alpha(j);
                int mj = alignment.sourceIndex(j);
                for (int k = 0; k < d; k++) {
                    float own = v[tgt + j * d + k];
                    mapped[j * d + k] = alpha == 1f ? v[src + mj * d + k]
                            : alpha == 0f ? own : alpha * v[src + mj * d + k] + (1 - alpha) * own;
                }
            }
            System.arraycopy(mapped, 0, v, tgt, t * d);
        }
        return Tensor.of(v, m.shape());
    }
}

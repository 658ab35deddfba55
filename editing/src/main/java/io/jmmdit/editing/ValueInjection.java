package io.jmmdit.editing;

import java.util.List;

import io.jmmdit.engine.Tensor;

/**
 * FTEdit's self-attention value injection (ALGORITHMS.md §2): the target rows' attention values V are replaced by
 * their source rows' over the whole joint sequence and all heads; Q and K are untouched.
 */
public final class ValueInjection {

    private final List<RowPair> pairs;

    public ValueInjection(List<RowPair> pairs) {
        this.pairs = List.copyOf(pairs);
    }

    /** V [B, H, L, Dh] with every target row set to its source row (a new tensor). */
    public Tensor apply(Tensor v) {
        Tensor out = v.copy();
        for (RowPair p : pairs) {
            try (Tensor src = v.select(0, p.sourceRow())) {
                out.assignSliceInPlace(0, p.targetRow(), src);
            }
        }
        return out;
    }
}

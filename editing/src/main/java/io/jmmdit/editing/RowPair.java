package io.jmmdit.editing;

/**
 * A conditional source row and the target row whose features it controls, as indices into the model batch (FLUX
 * [source, target, …]: (0, 1); SD3 with CFG [uncond_src, uncond_tgt, cond_src, cond_tgt]: (2, 3)).
 */
public record RowPair(int sourceRow, int targetRow) {
}

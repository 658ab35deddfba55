package io.jmmdit.editing;

/**
 * The invariance controls of one editing run (ALGORITHMS.md §2), each switchable: the AdaLN text-feature map for the
 * first ⌊N·lyRatio⌋ sampling steps and value injection for the first ⌊N·attnRatio⌋ steps in the blocks named by
 * {@code injectBlocks} (a model-specific spec, e.g. FLUX {@code single}, {@code double}, {@code all},
 * {@code single:0-3,double:1}). A null map or injection means that control is off.
 */
public record EditControls(AdaLnTextFeatureMap map, double lyRatio, ValueInjection injection, double attnRatio, String injectBlocks) {

    public static final EditControls NONE = new EditControls(null, 0, null, 0, "");

    public EditControls {
        if (lyRatio < 0 || lyRatio > 1 || attnRatio < 0 || attnRatio > 1) {
            throw new IllegalArgumentException("ly_ratio " + lyRatio + " and attn_ratio " + attnRatio + " must be in [0, 1]");
        }
    }
}

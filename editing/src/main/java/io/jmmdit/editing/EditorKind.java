package io.jmmdit.editing;

/** The editors every comparison table lists. */
public enum EditorKind {
    /** FTEdit: Stage I fixed-point inversion, Stage II compensation, AdaLN map and value injection. */
    FTEDIT,
    /** Direct Inversion: plain Euler inversion plus compensation of the source row, optionally value injection. */
    DIRECT,
    /** Baseline: plain Euler inversion, then sampling with the target prompt, no control at all. */
    PLAIN;

    public static EditorKind parse(String s) {
        for (EditorKind k : values()) {
            if (k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown editor '" + s + "': expected ftedit, direct or plain");
    }
}

package io.jmmdit.inversion;

/** Which kind of run a velocity call belongs to. */
public enum Phase {
    /** Image → noise (walking the schedule backwards, σ_N = 0 → σ_0 = 1). */
    INVERSION,
    /** Noise → image (Euler sampling/editing, σ_0 → σ_N). */
    SAMPLING
}

package io.jmmdit.inversion;

/** Which σ plain Euler inversion hands to the velocity field at the known point {@code x_{k+1}}. */
public enum SigmaConvention {
    /** {@code v(x_{k+1}, σ_{k+1})}: the known point with its own σ (most flow-editing code). */
    SOURCE_SIGMA,
    /** {@code v(x_{k+1}, σ_k)}: the target (noisier) σ, DDIM-like; also what FTEdit's fixed-point steps use. */
    TARGET_SIGMA
}

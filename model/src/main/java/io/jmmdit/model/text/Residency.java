package io.jmmdit.model.text;

/** Where an encoder's per-layer weights live between calls. */
public enum Residency {
    /** Every layer's weights are loaded (converted to float32) once, at load time, and kept until {@code close()}. */
    RESIDENT,
    /**
     * Only the small tensors (norms, position tables, projection) are kept; each call loads layer i's weights from the
     * mapped file, runs it, frees them, then moves on, so at most one layer is materialised at a time.
     */
    STREAMED
}

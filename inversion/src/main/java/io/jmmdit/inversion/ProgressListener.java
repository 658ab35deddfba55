package io.jmmdit.inversion;

/** Step progress of an inversion or sampling run, called after each completed step (for a progress bar with ETA). */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total) -> { };

    /**
     * @param done  steps completed so far, 1..total
     * @param total steps in the run (N)
     */
    void onProgress(int done, int total);
}

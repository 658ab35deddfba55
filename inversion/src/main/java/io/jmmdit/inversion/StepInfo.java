package io.jmmdit.inversion;

/**
 * Where a velocity call sits in a run, so a model adapter can switch controls on per step (e.g. AdaLN map or value
 * injection for the first ⌊N·ratio⌋ sampling steps).
 *
 * @param phase      inversion or sampling
 * @param step       0-based step in execution order: {@code 0 .. totalSteps−1}. Sampling step {@code i} goes from
 *                   σ_i to σ_{i+1}; inversion step {@code s} goes from σ_{k+1} to σ_k with {@code k = N−1−s}
 *                   (s = 0 starts at the data latent)
 * @param totalSteps N, the number of schedule intervals
 * @param sigmaIndex the schedule index of the σ the call is evaluated at (sampling: {@code i}; Euler inversion:
 *                   {@code k+1} for {@link SigmaConvention#SOURCE_SIGMA}, {@code k} for
 *                   {@link SigmaConvention#TARGET_SIGMA} and fixed-point inversion). Midpoint evaluations (RF-Solver,
 *                   FireFlow) report the index of the interval's start ({@code k+1}) and their own σ in the call
 * @param iteration  0-based call within the step (fixed-point iteration {@code i}, or 1 for a midpoint call);
 *                   0 for single-call steps
 */
public record StepInfo(Phase phase, int step, int totalSteps, int sigmaIndex, int iteration) {

    public StepInfo {
        if (phase == null) {
            throw new IllegalArgumentException("phase is null");
        }
        if (totalSteps < 1 || step < 0 || step >= totalSteps) {
            throw new IllegalArgumentException("step " + step + " outside [0, " + totalSteps + ")");
        }
        if (sigmaIndex < 0 || sigmaIndex > totalSteps || iteration < 0) {
            throw new IllegalArgumentException("bad sigmaIndex " + sigmaIndex + " / iteration " + iteration);
        }
    }

    /**
     * True when this step is among the first {@code ⌊totalSteps·ratio⌋} steps (Python's {@code int(N * ratio)}, in
     * double precision): the FTEdit rule for AdaLN map (ly_ratio) and value injection (attn_ratio).
     */
    public boolean withinFirst(double ratio) {
        return step < (int) Math.floor(totalSteps * ratio);
    }

    public boolean isInversion() {
        return phase == Phase.INVERSION;
    }

    public boolean isSampling() {
        return phase == Phase.SAMPLING;
    }
}

package io.jmmdit.inversion;

/**
 * Per-step record of a sampling run.
 *
 * @param step               i (σ_i → σ_{i+1})
 * @param sigmaFrom          σ_i
 * @param sigmaTo            σ_{i+1}
 * @param modelCalls         calls in this step (1)
 * @param compensationMaxAbs max |ε_i| over the source rows (0 without compensation), ε_i = x*_{i+1} − x̂^src_{i+1}
 * @param compensationNorm   ‖ε_i‖₂ over all source rows together (0 without compensation)
 */
public record SamplingStep(int step, float sigmaFrom, float sigmaTo, int modelCalls, double compensationMaxAbs,
                           double compensationNorm) {
}

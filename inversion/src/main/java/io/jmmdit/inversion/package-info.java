/**
 * Model-independent inversion and sampling for flow models: everything sees a {@link io.jmmdit.inversion.VelocityField}
 * and a {@link io.jmmdit.inversion.Schedule}, never FLUX or SD3.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Sigmas run {@code σ_0 = 1 (noise) ≥ … ≥ σ_N = 0 (data)}; N is the number of steps.</li>
 *   <li>A {@link io.jmmdit.inversion.Trajectory} is indexed by sigma index: {@code point(k)} is the latent at σ_k,
 *       {@code point(N)} the data latent, {@code point(0)} the inverted noise.</li>
 *   <li>Inversion step {@code s} (execution order) goes from σ_{k+1} to σ_k with {@code k = N−1−s}; sampling step
 *       {@code i} goes from σ_i to σ_{i+1}. {@link io.jmmdit.inversion.StepInfo} carries phase, step, N, the σ index
 *       of the call and the iteration within the step.</li>
 *   <li>One velocity-field call = one model evaluation of the whole batch; every result counts them.</li>
 * </ul>
 *
 * <h2>Methods</h2>
 * {@link io.jmmdit.inversion.EulerInversion} (both {@link io.jmmdit.inversion.SigmaConvention}s),
 * {@link io.jmmdit.inversion.FixedPointInversion} (FTEdit Stage I), {@link io.jmmdit.inversion.AdaptiveFixedPointInversion},
 * {@link io.jmmdit.inversion.RfSolverInversion}, {@link io.jmmdit.inversion.FireFlowInversion};
 * {@link io.jmmdit.inversion.EulerSampler} (plain) and {@link io.jmmdit.inversion.CompensatedSampler} (FTEdit Stage II /
 * Direct Inversion, rows chosen by {@link io.jmmdit.inversion.RowRoles}).
 */
package io.jmmdit.inversion;

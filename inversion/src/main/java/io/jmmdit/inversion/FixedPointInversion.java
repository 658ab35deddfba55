package io.jmmdit.inversion;

import java.util.Map;

import io.jmmdit.engine.Tensor;

/**
 * FTEdit Stage I (official {@code fixpoint_step}): per step, K fixed-point iterations at the target σ_k, and the
 * averaged velocity:
 * <pre>
 * z⁰ = x_{k+1}
 * for i = 0..K:  v_i = v(zⁱ, σ_k);  zⁱ⁺¹ = x_{k+1} + (σ_k − σ_{k+1})·v_i     // every iterate restarts from x_{k+1}
 * x_k = x_{k+1} + (σ_k − σ_{k+1})·mean(v_0 … v_K)                           // z^{K+1} is not used
 * </pre>
 * K+1 model calls per step; K = 0 is exactly {@link EulerInversion} with {@link SigmaConvention#TARGET_SIGMA}. The
 * latent update is float32 ({@link Tensor}). Recorded as convention {@code TARGET_SIGMA}, parameter {@code K}.
 */
public final class FixedPointInversion implements InversionMethod {

    public static final String NAME = "ftedit-fixed-point";

    private final int iterations;
    private final IterationObserver observer;

    /** @param iterations K ≥ 0 (FTEdit: 2 for PIE-Bench, 3 in the single-image script) */
    public FixedPointInversion(int iterations) {
        this(iterations, null);
    }

    private FixedPointInversion(int iterations, IterationObserver observer) {
        if (iterations < 0) {
            throw new IllegalArgumentException("fixed-point iterations K must be >= 0, got " + iterations);
        }
        this.iterations = iterations;
        this.observer = observer;
    }

    /** The same method reporting every iteration to {@code observer}. */
    public FixedPointInversion withObserver(IterationObserver observer) {
        return new FixedPointInversion(iterations, observer);
    }

    /** K. */
    public int iterations() {
        return iterations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxModelCalls(Schedule schedule) {
        return schedule.steps() * (iterations + 1);
    }

    @Override
    public Trajectory invert(VelocityField field, Tensor data, Schedule schedule, ProgressListener progress) {
        return FixedPointCore.run(NAME, Map.of("K", Integer.toString(iterations)), iterations, -1, observer, field, data,
                schedule, progress);
    }

    @Override
    public String toString() {
        return NAME + "(K=" + iterations + ")";
    }
}

package io.jmmdit.inversion;

import java.util.List;

import io.jmmdit.engine.Tensor;

/**
 * The end of a sampling run: {@link #finalBatch()} (x_N, owned by this result; {@link #close()} frees it unless taken
 * with {@link #takeFinalBatch()}), per-step records and the model-call count.
 */
public final class SamplingResult implements AutoCloseable {

    private Tensor finalBatch;
    private final Schedule schedule;
    private final RowRoles roles;
    private final List<SamplingStep> steps;
    private final int modelCalls;

    SamplingResult(Tensor finalBatch, Schedule schedule, RowRoles roles, List<SamplingStep> steps, int modelCalls) {
        this.finalBatch = finalBatch;
        this.schedule = schedule;
        this.roles = roles;
        this.steps = List.copyOf(steps);
        this.modelCalls = modelCalls;
    }

    /** x_N for every row (borrowed). Row r of a compensated run: source rows equal the trajectory's data latent. */
    public Tensor finalBatch() {
        if (finalBatch == null) {
            throw new IllegalStateException("final batch was taken");
        }
        return finalBatch;
    }

    /** Hands the final batch over to the caller (who then closes it). */
    public Tensor takeFinalBatch() {
        Tensor t = finalBatch();
        finalBatch = null;
        return t;
    }

    public Schedule schedule() {
        return schedule;
    }

    /** The row roles, or null for plain sampling. */
    public RowRoles roles() {
        return roles;
    }

    public List<SamplingStep> steps() {
        return steps;
    }

    public int modelCalls() {
        return modelCalls;
    }

    @Override
    public void close() {
        if (finalBatch != null) {
            finalBatch.close();
            finalBatch = null;
        }
    }
}

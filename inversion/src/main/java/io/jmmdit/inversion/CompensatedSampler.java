package io.jmmdit.inversion;

import java.util.ArrayList;
import java.util.List;

import io.jmmdit.engine.Tensor;

/**
 * Euler sampling with FTEdit Stage II velocity compensation / Direct Inversion along a stored trajectory: after each
 * Euler step i the source rows are set to the trajectory point x*_{i+1} (ε_i = x*_{i+1} − x̂^src_{i+1};
 * x^src_{i+1} = x̂^src_{i+1} + ε_i = x*_{i+1}, assigned directly so it is exact); target rows get nothing. The schedule
 * is the trajectory's. No extra model call: N calls.
 */
public final class CompensatedSampler {

    private final Trajectory trajectory;
    private final RowRoles roles;
    private final SamplingObserver observer;

    /** @param trajectory the inversion to follow (borrowed: keep it open while sampling) */
    public CompensatedSampler(Trajectory trajectory, RowRoles roles) {
        this(trajectory, roles, null);
    }

    private CompensatedSampler(Trajectory trajectory, RowRoles roles, SamplingObserver observer) {
        if (trajectory == null || roles == null) {
            throw new IllegalArgumentException("trajectory and row roles are required");
        }
        this.trajectory = trajectory;
        this.roles = roles;
        this.observer = observer;
    }

    public CompensatedSampler withObserver(SamplingObserver observer) {
        return new CompensatedSampler(trajectory, roles, observer);
    }

    public Trajectory trajectory() {
        return trajectory;
    }

    public RowRoles roles() {
        return roles;
    }

    /** A new batch whose row r is x*_0[roles.trajectoryRow(r)] (the caller closes it). */
    public Tensor startBatch() {
        long tb = trajectory.shape()[0];
        List<Tensor> rows = new ArrayList<>();
        try {
            for (int r = 0; r < roles.batchSize(); r++) {
                int t = roles.trajectoryRow(r);
                if (t >= tb) {
                    throw new IllegalArgumentException("row " + r + " follows trajectory row " + t + " but the trajectory has " + tb + " row(s)");
                }
                rows.add(trajectory.noise().select(0, t));
            }
            if (rows.size() == 1) {
                return rows.remove(0);                 // Tensor.concat of one tensor may alias its input
            }
            return Tensor.concat(0, rows.toArray(new Tensor[0]));
        } finally {
            Tensor.closeAll(rows.toArray(new Tensor[0]));
        }
    }

    /** Samples from {@link #startBatch()}. */
    public SamplingResult sample(VelocityField field, ProgressListener progress) {
        try (Tensor start = startBatch()) {
            return sample(field, start, progress);
        }
    }

    /**
     * Samples from a given start batch [B, …] (B = roles.batchSize(); not modified, not closed), e.g. when target
     * rows start elsewhere.
     */
    public SamplingResult sample(VelocityField field, Tensor start, ProgressListener progress) {
        if (start == null) {
            throw new IllegalArgumentException("start batch is null");
        }
        SamplingLoop.checkCompatible(trajectory, roles, start);
        return SamplingLoop.run(field, start, trajectory.schedule(), trajectory, roles, observer, progress);
    }
}

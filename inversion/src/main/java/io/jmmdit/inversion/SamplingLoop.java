package io.jmmdit.inversion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jmmdit.engine.Tensor;

/** Euler sampling {@code x_{i+1} = x_i + (σ_{i+1} − σ_i)·v(x_i, σ_i)}, optionally with Stage II compensation. */
final class SamplingLoop {

    private SamplingLoop() {
    }

    static SamplingResult run(VelocityField velocityField, Tensor start, Schedule schedule, Trajectory trajectory,
                              RowRoles roles, SamplingObserver observer, ProgressListener progress) {
        if (start == null || schedule == null) {
            throw new IllegalArgumentException("start batch and schedule are required");
        }
        if (start.rank() < 1) {
            throw new IllegalArgumentException("start needs a batch dimension [B, ...], got " + start.shapeString());
        }
        CountingField field = new CountingField(velocityField);
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        int[] sourceRows = roles == null ? new int[0] : roles.sourceRows();
        int n = schedule.steps();
        List<SamplingStep> steps = new ArrayList<>(n);
        Tensor x = start.copy();
        try {
            for (int i = 0; i < n; i++) {
                StepInfo info = new StepInfo(Phase.SAMPLING, i, n, i, 0);
                float from = schedule.sigma(i);
                float to = schedule.sigma(i + 1);
                int before = field.calls();
                Tensor v = field.velocity(x, from, info);
                Tensor euler = null;
                Tensor next = null;
                try {
                    euler = x.copy().axpyInPlace(to - from, v);
                    double maxAbs = 0;
                    double sq = 0;
                    if (sourceRows.length > 0) {
                        next = observer != null ? euler.copy() : euler;
                        Tensor star = trajectory.point(i + 1);
                        for (int r : sourceRows) {
                            try (Tensor target = star.select(0, roles.trajectoryRow(r));
                                 Tensor hat = euler.select(0, r);
                                 Tensor eps = target.sub(hat)) {
                                maxAbs = Math.max(maxAbs, eps.maxAbs());
                                double nr = eps.norm2();
                                sq += nr * nr;
                                next.assignSliceInPlace(0, r, target);   // x^src_{i+1} = x̂ + ε_i = x*_{i+1}, exactly
                            }
                        }
                    } else {
                        next = euler;
                    }
                    if (observer != null) {
                        observer.onStep(info, x, v, euler, next);
                    }
                    steps.add(new SamplingStep(i, from, to, field.calls() - before, maxAbs, Math.sqrt(sq)));
                } catch (RuntimeException | Error e) {
                    if (next != euler) {
                        Tensor.closeAll(next);
                    }
                    throw e;
                } finally {
                    v.close();
                    if (euler != next) {
                        Tensor.closeAll(euler);
                    }
                }
                x.close();
                x = next;
                p.onProgress(i + 1, n);
            }
        } catch (RuntimeException | Error e) {
            x.close();
            throw e;
        }
        return new SamplingResult(x, schedule, roles, steps, field.calls());
    }

    static void checkCompatible(Trajectory trajectory, RowRoles roles, Tensor start) {
        long[] ts = trajectory.shape();
        long[] ss = start.shape();
        if (ss[0] != roles.batchSize()) {
            throw new IllegalArgumentException("start batch has " + ss[0] + " rows, row roles describe " + roles.batchSize() + " (" + roles + ")");
        }
        if (!Arrays.equals(Arrays.copyOfRange(ts, 1, ts.length), Arrays.copyOfRange(ss, 1, ss.length))) {
            throw new IllegalArgumentException("start rows " + start.shapeString() + " do not match trajectory points " + Arrays.toString(ts));
        }
        for (int r = 0; r < roles.batchSize(); r++) {
            if (roles.trajectoryRow(r) >= ts[0]) {
                throw new IllegalArgumentException("row " + r + " follows trajectory row " + roles.trajectoryRow(r)
                        + " but the trajectory has " + ts[0] + " row(s)");
            }
        }
    }
}

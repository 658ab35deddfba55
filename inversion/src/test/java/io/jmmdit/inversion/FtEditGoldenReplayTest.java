package io.jmmdit.inversion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.jmmdit.engine.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the FTEdit golden ({@code golden/ftedit-steps}, tiny SD3 transformer, N = 4, K = 2): the velocity field
 * returns the recorded velocities, after checking that it is asked at the recorded latent, σ and step. Everything
 * else (iterates, averaging, trajectory, Euler steps, compensation) is computed here and compared with the README's
 * tolerances: atol 5e-4, rtol 1e-4; source-row reconstruction < 1e-5.
 */
class FtEditGoldenReplayTest {

    private static final double ATOL = 5e-4;
    private static final double RTOL = 1e-4;
    private static final int N = 4;
    private static final int K = 2;

    private static GoldenFile g;
    private static Schedule schedule;

    @BeforeAll
    static void load() throws IOException {
        g = new GoldenFile("/golden/ftedit-steps/steps.safetensors");
        schedule = Schedule.of(g.floats("schedule.sigmas"));
    }

    /** numpy.allclose(actual, expected, rtol, atol), with a located message. */
    private static void close(String what, Tensor actual, String expectedName, List<String> failures) {
        close(what, actual.toFloatArray(), g.floats(expectedName), failures);
    }

    private static void close(String what, float[] a, float[] e, List<String> failures) {
        if (a.length != e.length) {
            failures.add(what + ": length " + a.length + " vs " + e.length);
            return;
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < a.length; i++) {
            double excess = Math.abs((double) a[i] - e[i]) - (ATOL + RTOL * Math.abs(e[i]));
            if (excess > worst) {
                worst = excess;
                at = i;
            }
        }
        if (at >= 0) {
            failures.add(what + ": |" + a[at] + " - " + e[at] + "| beyond tolerance at " + at);
        }
    }

    @Test
    void scheduleMatches() {
        assertEquals(N, schedule.steps());
        assertArrayEquals(new float[] {1.0f, 0.8576923f, 0.60215056f, 0.00892857f, 0.0f}, schedule.sigmas(), 1e-7f);
    }

    @Test
    void fixedPointInversionReplay() {
        List<String> failures = new ArrayList<>();
        int[] calls = {0};
        VelocityField replay = (x, sigma, info) -> {
            int c = calls[0]++;
            int s = c / (K + 1);
            int j = c % (K + 1);
            int k = N - 1 - s;
            if (!info.equals(new StepInfo(Phase.INVERSION, s, N, k, j))) {
                failures.add("call " + c + ": step info " + info);
            }
            if (sigma != schedule.sigma(k)) {
                failures.add("call " + c + ": sigma " + sigma + " != sigmas[" + k + "]");
            }
            close("call " + c + " input", x, j == 0 ? "inv." + s + ".z_in" : "inv." + s + ".z_iter" + j, failures);
            return g.tensor("inv." + s + ".v" + j);
        };
        IterationObserver obs = (info, z, v, next) ->
                close("inv." + info.step() + ".z_iter" + (info.iteration() + 1), next, "inv." + info.step() + ".z_iter" + (info.iteration() + 1), failures);
        try (Tensor z0 = g.tensor("inputs.z0_clean_latent");
             Trajectory t = new FixedPointInversion(K).withObserver(obs).invert(replay, z0, schedule)) {
            assertEquals(N * (K + 1), t.modelCalls());
            assertEquals(N * (K + 1), calls[0]);
            float[] latents = g.floats("inv.latents");
            int per = latents.length / (N + 1);
            for (int k = 0; k <= N; k++) {
                close("x*_" + k, t.point(k).toFloatArray(), java.util.Arrays.copyOfRange(latents, k * per, (k + 1) * per), failures);
            }
            for (int s = 0; s < N; s++) {
                close("inv." + s + ".z_out", t.point(N - 1 - s), "inv." + s + ".z_out", failures);
            }
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            editReplay(t, failures);
        }
    }

    /** Editing replay following the golden's own stored trajectory (inv.latents). */
    @Test
    void compensatedEditReplayOnStoredTrajectory() {
        List<Tensor> pts = new ArrayList<>();
        float[] latents = g.floats("inv.latents");
        int per = latents.length / (N + 1);
        for (int k = 0; k <= N; k++) {
            pts.add(Tensor.of(java.util.Arrays.copyOfRange(latents, k * per, (k + 1) * per), 1, 16, 8, 8));
        }
        try (Trajectory t = new Trajectory(pts, schedule, FixedPointInversion.NAME, SigmaConvention.TARGET_SIGMA,
                java.util.Map.of("K", "2"), null, null)) {
            editReplay(t, new ArrayList<>());
        }
    }

    private static void editReplay(Trajectory t, List<String> failures) {
        int[] calls = {0};
        VelocityField replay = (x, sigma, info) -> {
            int i = calls[0]++;
            if (!info.equals(new StepInfo(Phase.SAMPLING, i, N, i, 0)) || sigma != schedule.sigma(i)) {
                failures.add("edit call " + i + ": " + info + " sigma " + sigma);
            }
            close("edit." + i + ".latent_in", x, "edit." + i + ".latent_in", failures);
            return g.tensor("edit." + i + ".velocity");
        };
        SamplingObserver obs = (info, x, v, euler, next) -> {
            int i = info.step();
            close("edit." + i + ".euler", euler, "edit." + i + ".euler", failures);
            close("edit." + i + ".latent_out", next, "edit." + i + ".latent_out", failures);
            try (Tensor n0 = next.select(0, 0); Tensor e0 = euler.select(0, 0); Tensor eps = n0.sub(e0)) {
                close("edit." + i + ".eps", eps, "edit." + i + ".eps", failures);
            }
        };
        try (SamplingResult r = new CompensatedSampler(t, RowRoles.sourceTarget()).withObserver(obs).sample(replay, ProgressListener.NONE);
             Tensor clean = g.tensor("inputs.z0_clean_latent");
             Tensor src = r.finalBatch().select(0, 0)) {
            assertEquals(N, r.modelCalls());
            close("edit.final", r.finalBatch(), "edit.final", failures);
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            assertTrue(Fields.maxAbsDiff(src, clean) < 1e-5, "source-row reconstruction " + Fields.maxAbsDiff(src, clean));
            try (Tensor tgt = r.finalBatch().select(0, 1)) {
                assertTrue(Fields.maxAbsDiff(tgt, src) > 0.5, "target row differs from the source (golden: 1.065)");
            }
        }
    }
}

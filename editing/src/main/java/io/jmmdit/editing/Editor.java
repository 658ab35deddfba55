package io.jmmdit.editing;

import java.util.Arrays;
import java.util.List;

import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.AdaptiveFixedPointInversion;
import io.jmmdit.inversion.CompensatedSampler;
import io.jmmdit.inversion.EulerInversion;
import io.jmmdit.inversion.FixedPointInversion;
import io.jmmdit.inversion.InversionMethod;
import io.jmmdit.inversion.ProgressListener;
import io.jmmdit.inversion.RowRoles;
import io.jmmdit.inversion.SamplingResult;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.SigmaConvention;
import io.jmmdit.inversion.Trajectory;

/**
 * Inversion-based editing (ALGORITHMS.md §1–2) over any {@link EditableModel}.
 *
 * <p>The latent is inverted with the source prompt (FTEdit: Stage I fixed-point; Direct Inversion and plain: Euler at
 * the known point's σ), then one batch is sampled from the inverted noise with rows
 * <ul>
 *   <li>FTEdit / Direct: [source (compensated onto the trajectory, Stage II), target (controlled), reconstruction
 *       (source prompt, uncompensated, uncontrolled: shows the inversion error)];</li>
 *   <li>plain: [target, reconstruction], no compensation and no control.</li>
 * </ul>
 */
public final class Editor {

    /** Row pair the controls act on in the FTEdit / Direct batch. */
    static final List<RowPair> SOURCE_TO_TARGET = List.of(new RowPair(0, 1));

    /**
     * @param fixedPointIterations K of Stage I (FTEdit only)
     * @param tolerance            when > 0, FTEdit stops a step's iterations once they agree within it (adaptive)
     * @param lyRatio              fraction of steps with the AdaLN map (FTEdit only)
     * @param attnRatio            fraction of steps with value injection (FTEdit, Direct)
     * @param injectBlocks         the model's block spec for value injection
     */
    public record Settings(EditorKind kind, int fixedPointIterations, double tolerance, double lyRatio, double attnRatio, String injectBlocks) {

        /**
         * Defaults: FTEdit as its authors run it (K = 2, ly_ratio 1.0, attn_ratio 0.15); Direct Inversion with the same
         * value injection (without a control coupling the rows its target row would equal plain's); plain without
         * controls.
         */
        public static Settings defaults(EditorKind kind, String injectBlocks) {
            return switch (kind) {
                case FTEDIT -> new Settings(kind, 2, 0, 1.0, 0.15, injectBlocks);
                case DIRECT -> new Settings(kind, 0, 0, 0, 0.15, injectBlocks);
                case PLAIN -> new Settings(kind, 0, 0, 0, 0, injectBlocks);
            };
        }

        public Settings {
            if (fixedPointIterations < 0) {
                throw new IllegalArgumentException("fixed-point iterations must be >= 0, got " + fixedPointIterations);
            }
            if (kind == EditorKind.PLAIN && (lyRatio > 0 || attnRatio > 0)) {
                throw new IllegalArgumentException("the plain editor has no controls: ly_ratio and attn_ratio must be 0");
            }
            if (kind == EditorKind.DIRECT && lyRatio > 0) {
                throw new IllegalArgumentException("Direct Inversion has no AdaLN map: ly_ratio must be 0");
            }
        }

        public InversionMethod inversionMethod() {
            if (kind != EditorKind.FTEDIT) {
                return new EulerInversion(SigmaConvention.SOURCE_SIGMA);
            }
            return tolerance > 0 ? new AdaptiveFixedPointInversion(fixedPointIterations, tolerance) : new FixedPointInversion(fixedPointIterations);
        }
    }

    /** The final latents of an edit (owned: close frees them) and what the sampling cost. */
    public record Result(Tensor edited, Tensor reconstruction, Tensor source, int modelCalls, long millis) implements AutoCloseable {
        @Override
        public void close() {
            Tensor.closeAll(edited, reconstruction, source);
        }
    }

    private final Settings settings;

    public Editor(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Inverts {@code latent} [1, …] with the source prompt (no control, guidance as the model adapter sets it). */
    public Trajectory invert(EditableModel model, Tensor latent, PromptEncoding source, Schedule schedule, ProgressListener progress) {
        return settings.inversionMethod().invert(model.field(List.of(source), EditControls.NONE), latent, schedule, progress);
    }

    /**
     * Samples the edit batch from {@code trajectory}'s noise end (the inversion of the source latent with the source
     * prompt; borrowed, not closed).
     */
    public Result edit(EditableModel model, Trajectory trajectory, PromptEncoding source, PromptEncoding target, ProgressListener progress) {
        long t0 = System.nanoTime();
        boolean plain = settings.kind == EditorKind.PLAIN;
        List<PromptEncoding> rows = plain ? List.of(target, source) : List.of(source, target, source);
        RowRoles roles = plain ? RowRoles.builder(2).target(0, 0).target(1, 0).build()
                : RowRoles.builder(3).source(0, 0).target(1, 0).target(2, 0).build();
        EditControls controls = plain ? EditControls.NONE : controls(model, source, target);
        try (SamplingResult r = new CompensatedSampler(trajectory, roles).sample(model.field(rows, controls), progress)) {
            Tensor fin = r.finalBatch();
            int targetRow = plain ? 0 : 1;
            int reconRow = plain ? 1 : 2;
            return new Result(fin.select(0, targetRow), fin.select(0, reconRow), plain ? null : fin.select(0, 0),
                    r.modelCalls(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Checks that an earlier inversion (e.g. loaded from a file) fits this latent and schedule. */
    public static Trajectory checkReusable(Trajectory t, Tensor latent, Schedule schedule) {
        if (!Arrays.equals(t.schedule().sigmas(), schedule.sigmas())) {
            throw new IllegalArgumentException("the given trajectory was inverted along sigmas " + t.schedule().toText()
                    + ", but this edit uses " + schedule.toText() + " (match --steps and the scheduler)");
        }
        if (!Arrays.equals(t.shape(), latent.shape())) {
            throw new IllegalArgumentException("the given trajectory has latents of shape " + Arrays.toString(t.shape())
                    + ", but the image encodes to " + latent.shapeString());
        }
        return t;
    }

    private EditControls controls(EditableModel model, PromptEncoding source, PromptEncoding target) {
        AdaLnTextFeatureMap map = settings.kind == EditorKind.FTEDIT && settings.lyRatio > 0
                ? new AdaLnTextFeatureMap(model.align(source, target), SOURCE_TO_TARGET) : null;
        ValueInjection injection = settings.attnRatio > 0 ? new ValueInjection(SOURCE_TO_TARGET) : null;
        return new EditControls(map, settings.lyRatio, injection, settings.attnRatio, settings.injectBlocks);
    }
}

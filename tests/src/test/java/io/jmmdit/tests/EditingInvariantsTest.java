package io.jmmdit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import io.jmmdit.editing.AdaLnTextFeatureMap;
import io.jmmdit.editing.EditControls;
import io.jmmdit.editing.Editor;
import io.jmmdit.editing.PromptEncoding;
import io.jmmdit.editing.RowPair;
import io.jmmdit.editing.TokenAlignment;
import io.jmmdit.editing.ValueInjection;
import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.EulerSampler;
import io.jmmdit.inversion.SamplingResult;
import io.jmmdit.editing.EditorKind;
import io.jmmdit.editing.flux.InjectBlocks;
import io.jmmdit.inversion.ProgressListener;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.Trajectory;

/** ALGORITHMS.md §1–2 invariants of the editors on the bundled demo model (8 steps to stay quick). */
class EditingInvariantsTest {

    static final int STEPS = 8;
    static DemoModel demo;
    static Schedule schedule;
    static Trajectory stageOne;
    static Trajectory euler;

    @BeforeAll
    static void setUp() throws Exception {
        demo = new DemoModel(DemoModel.YELLOW, DemoModel.RED);
        schedule = demo.model.schedule(STEPS, demo.latent);
        stageOne = editor(EditorKind.FTEDIT, 1.0, 0.15).invert(demo.model, demo.latent, demo.prompt(0), schedule, ProgressListener.NONE);
        euler = editor(EditorKind.DIRECT, 0, 0).invert(demo.model, demo.latent, demo.prompt(0), schedule, ProgressListener.NONE);
    }

    @AfterAll
    static void tearDown() {
        stageOne.close();
        euler.close();
        demo.close();
    }

    static Editor editor(EditorKind kind, double ly, double attn) {
        Editor.Settings d = Editor.Settings.defaults(kind, InjectBlocks.DEFAULT);
        return new Editor(new Editor.Settings(kind, d.fixedPointIterations(), 0, ly, attn, InjectBlocks.DEFAULT));
    }

    static Editor.Result edit(Editor e, Trajectory t, int target) {
        return e.edit(demo.model, t, demo.prompt(0), demo.prompt(target), ProgressListener.NONE);
    }

    @Test
    void compensatedSourceRowEndsOnTheSourceLatent() {
        for (Trajectory t : new Trajectory[] {stageOne, euler}) {
            try (Editor.Result r = edit(editor(EditorKind.FTEDIT, 1.0, 0.15), t, 1)) {
                double err = DemoModel.relErr(r.source(), demo.latent);
                assertTrue(err <= 1e-5, t.method() + ": source row ends " + err + " from the latent");
            }
        }
    }

    /**
     * Both rows [source, target] with the same prompt and the same state (no compensation): the map and the injection
     * copy a row onto an identical row, so every step equals the uncontrolled one. (With compensation the rows' states
     * differ after the first step, and the controls then rightly act.)
     */
    static Tensor sampleIdenticalRows(EditControls controls) {
        List<PromptEncoding> rows = List.of(demo.prompt(0), demo.prompt(0));
        try (Tensor start = Tensor.concat(0, stageOne.noise(), stageOne.noise());
             SamplingResult r = new EulerSampler().sample(demo.model.field(rows, controls), start, schedule, ProgressListener.NONE)) {
            return r.takeFinalBatch();
        }
    }

    /** Equal up to the float rounding by which two identical rows of one batch already differ (~1 ulp per step). */
    static void assertUnchanged(EditControls controls) {
        try (Tensor without = sampleIdenticalRows(EditControls.NONE); Tensor with = sampleIdenticalRows(controls)) {
            double err = DemoModel.relErr(with, without);
            assertTrue(err <= 1e-5, "controls changed identical rows by " + err);
        }
    }

    @Test
    void adaLnMapWithIdenticalPromptsIsTheIdentity() {
        TokenAlignment identity = demo.model.align(demo.prompt(0), demo.prompt(0));
        assertTrue(identity.isIdentity());
        EditControls map = new EditControls(new AdaLnTextFeatureMap(identity, List.of(new RowPair(0, 1))), 1.0, null, 0, InjectBlocks.DEFAULT);
        assertUnchanged(map);
    }

    @Test
    void valueInjectionWithIdenticalPromptsChangesNothing() {
        EditControls inject = new EditControls(null, 0, new ValueInjection(List.of(new RowPair(0, 1))), 1.0, "all");
        assertUnchanged(inject);
    }

    @Test
    void zeroRatiosEqualAnUncontrolledEditFromTheSameInversion() {
        try (Editor.Result ft = edit(editor(EditorKind.FTEDIT, 0, 0), stageOne, 1);
             Editor.Result direct = edit(editor(EditorKind.DIRECT, 0, 0), stageOne, 1)) {
            assertArrayEquals(direct.edited().toFloatArray(), ft.edited().toFloatArray());
        }
    }

    @Test
    void controlsChangeTheEdit() {
        try (Editor.Result controlled = edit(editor(EditorKind.FTEDIT, 1.0, 0.15), stageOne, 1);
             Editor.Result plain = edit(editor(EditorKind.FTEDIT, 0, 0), stageOne, 1)) {
            assertTrue(DemoModel.relErr(controlled.edited(), plain.edited()) > 1e-4);
        }
    }

    /** Target = source prompt: the uncompensated target row shows the inversion error, which Stage I shrinks. */
    @Test
    void stageOneReproducesTheSourceBetterThanEulerInversion() {
        try (Editor.Result ft = edit(editor(EditorKind.FTEDIT, 1.0, 0.15), stageOne, 0);
             Editor.Result di = edit(editor(EditorKind.DIRECT, 0, 0), euler, 0)) {
            double ftErr = DemoModel.relErr(ft.edited(), demo.latent);
            double diErr = DemoModel.relErr(di.edited(), demo.latent);
            System.out.printf("target = source prompt, %d steps: FTEdit (Stage I) error %.5f, Direct Inversion (Euler) %.5f, ratio %.1f%n",
                    STEPS, ftErr, diErr, diErr / ftErr);
            assertTrue(ftErr < diErr, "Stage I " + ftErr + " vs Euler " + diErr);
        }
    }
}

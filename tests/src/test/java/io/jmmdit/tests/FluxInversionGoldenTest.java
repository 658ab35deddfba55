package io.jmmdit.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.model.testutil.TestData;
import io.jmmdit.editing.EditControls;
import io.jmmdit.editing.flux.FluxVelocityField;
import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.EulerInversion;
import io.jmmdit.inversion.EulerSampler;
import io.jmmdit.inversion.ProgressListener;
import io.jmmdit.inversion.SamplingResult;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.SigmaConvention;
import io.jmmdit.inversion.Trajectory;
import io.jmmdit.model.pipeline.FluxPipeline;
import io.jmmdit.model.pipeline.FluxPrompt;
import io.jmmdit.weights.SafeTensorsFile;

/**
 * golden/flux-pipeline case-a's plain Euler inversion (velocity at the known point's own σ) through the inversion
 * module over the FLUX velocity-field adapter, and the pipeline re-run from the inverted noise (tolerance 1e-3).
 */
class FluxInversionGoldenTest {

    @TempDir
    Path dir;

    @Test
    void plainEulerInversionAndReconstructionMatch() throws IOException {
        try (FluxPipeline pipe = FluxPipeline.load(TestData.goldenPipeline(dir));
             SafeTensorsFile g = SafeTensorsFile.open(TestData.golden("flux-pipeline/case-a.safetensors"));
             FluxPrompt prompt = new FluxPrompt(g.tensor("prompt_embeds"), g.tensor("pooled_prompt_embeds"));
             Tensor data = g.tensor("final_latents_packed");
             Tensor expected = g.tensor("inversion_latents")) {
            Schedule schedule = Schedule.of(pipe.schedule(4, 64, 64).sigmas());
            FluxVelocityField field = new FluxVelocityField(pipe, prompt, 64, 64, 3.5f, EditControls.NONE, null);
            try (Trajectory t = new EulerInversion(SigmaConvention.SOURCE_SIGMA).invert(field, data, schedule)) {
                assertEquals(4, t.modelCalls());
                for (int s = 0; s <= 4; s++) {
                    // golden index s counts from the data end: inversion_latents[s] is at sigma_{N-s}
                    try (Tensor e = expected.select(0, s)) {
                        double err = TestData.relErr(e.toFloatArray(), t.point(4 - s).toFloatArray());
                        assertTrue(err <= 1e-3, "inversion latent " + s + ": " + err);
                    }
                }
                assertTrue(TestData.relErr(g.tensor("inverted_noise").toFloatArray(), t.noise().toFloatArray()) <= 1e-3);
                try (SamplingResult r = new EulerSampler().sample(field, t.noise(), schedule, ProgressListener.NONE)) {
                    double err = TestData.relErr(g.tensor("reconstruction_latents_packed").toFloatArray(), r.finalBatch().toFloatArray());
                    assertTrue(err <= 1e-3, "reconstruction " + err);
                }
            }
        }
    }
}

package io.jmmdit.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.scheduler.Schedule;
import io.jmmdit.model.testutil.TestData;
import io.jmmdit.weights.SafeTensorsFile;

/** golden/flux-pipeline case-a: 64×64, 4 steps, guidance 3.5 — every step, the final latents and the decoded image. */
class FluxPipelineParityTest {

    @TempDir
    static Path dir;

    static double relErr(Tensor golden, Tensor actual) {
        return TestData.relErr(golden.toFloatArray(), actual.toFloatArray());
    }

    @Test
    void stepsFinalLatentsAndDecodedImageMatch() throws IOException {
        try (FluxPipeline pipe = FluxPipeline.load(TestData.goldenPipeline(dir));
             SafeTensorsFile g = SafeTensorsFile.open(TestData.golden("flux-pipeline/case-a.safetensors"));
             FluxPrompt prompt = new FluxPrompt(g.tensor("prompt_embeds"), g.tensor("pooled_prompt_embeds"));
             Tensor initial = g.tensor("latents_initial");
             Tensor stepLatents = g.tensor("step_latents");
             Tensor stepVelocity = g.tensor("step_noise_pred")) {
            Schedule s = pipe.schedule(4, 64, 64);
            float[] sigmas = g.tensor("sigmas").toFloatArray();
            for (int i = 0; i < sigmas.length; i++) {
                assertEquals(sigmas[i], s.sigma(i), 2.5e-7, "sigma " + i);
            }
            List<Double> errors = new ArrayList<>();
            try (Tensor fin = pipe.sample(prompt, initial, 64, 64, s, 3.5f, (i, n, x, v) -> {
                try (Tensor gx = stepLatents.select(0, i).reshape(x.shape()); Tensor gv = stepVelocity.select(0, i).reshape(v.shape())) {
                    errors.add(relErr(gx, x));
                    errors.add(relErr(gv, v));
                }
            });
                 Tensor unpacked = Latents.unpack(fin, 32, 32);
                 Tensor decoded = pipe.decode(fin, 64, 64)) {
                assertEquals(8, errors.size());
                for (double e : errors) {
                    assertTrue(e <= 5e-4, "step error " + errors);
                }
                assertTrue(relErr(g.tensor("final_latents_packed"), fin) <= 5e-4);
                assertTrue(relErr(g.tensor("final_latents_unpacked"), unpacked) <= 5e-4);
                double d = relErr(g.tensor("decoded"), decoded);
                assertTrue(d <= 5e-4, "decoded " + d);
                System.out.printf("flux-pipeline case-a: steps %s, decoded %.3g%n", errors, d);
            }
        }
    }

    @Test
    void aMissingComponentIsNamed(@TempDir Path empty) throws IOException {
        Path p = TestData.goldenPipeline(empty);
        try (var files = Files.walk(p.resolve("vae"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FluxPipeline.load(p));
        assertTrue(e.getMessage().contains("vae"), e.getMessage());
    }

    @Test
    void imageSizeMustFitTheLatentGrid() throws IOException {
        try (FluxPipeline pipe = FluxPipeline.load(TestData.goldenPipeline(dir.resolve("size")))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipe.latentSize(62, 64));
            assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
        }
    }
}

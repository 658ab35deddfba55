package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.model.testutil.TestData;
import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.SafeTensorsWriter;

/** {@code jmmdit generate}: the golden diffusers pipeline from embeddings, and the demo model from a prompt. */
class GenerateCommandTest {

    @TempDir
    Path dir;

    @Test
    void goldenPipelineFromEmbeddingsAndLatents() throws Exception {
        Path pipe = TestData.goldenPipeline(dir);
        Path caseA = TestData.golden("flux-pipeline/case-a.safetensors");
        Path png = dir.resolve("x.png");
        Path lat = dir.resolve("lat.safetensors");
        JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), "generate", "--model", pipe.toString(), "--embeddings", caseA.toString(),
                "--latents", caseA.toString(), "--steps", "4", "--guidance", "3.5", "--height", "64", "--width", "64",
                "--out", png.toString(), "--save-latents", lat.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(64, ImageIO.read(png.toFile()).getWidth());
        try (SafeTensorsFile g = SafeTensorsFile.open(caseA); SafeTensorsFile a = SafeTensorsFile.open(lat)) {
            for (String n : new String[] {"final_latents_packed", "final_latents_unpacked", "decoded"}) {
                assertArrayEquals(g.tensor(n).shape(), a.tensor(n).shape(), n);
                double e = TraceCommandTest.relErr(g, a, n, n);
                assertTrue(e <= 5e-4, n + " relative error " + e);
            }
        }

        // latents of another image size: the error names the tensor and both shapes
        Path wrong = dir.resolve("wrong.safetensors");
        SafeTensorsWriter.write(wrong, Map.of("latents_initial", Tensor.zeros(1, 64, 64)), Map.of());
        JmmditTest.Run bad = JmmditTest.run(Jmmdit.commandLine(), "generate", "--model", pipe.toString(), "--embeddings", caseA.toString(),
                "--latents", wrong.toString(), "--steps", "4", "--height", "64", "--width", "64", "--out", dir.resolve("y.png").toString());
        assertEquals(Jmmdit.EXIT_FAILURE, bad.code());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().contains("latents_initial") && bad.err().contains("[1, 64, 64]") && bad.err().contains("[1, 256, 64]"), bad.err());
        assertFalse(Files.exists(dir.resolve("y.png")));

        JmmditTest.Run prompt2 = JmmditTest.run(Jmmdit.commandLine(), "generate", "--model", pipe.toString(), "--embeddings", caseA.toString(),
                "--prompt-2", "x", "--out", dir.resolve("y.png").toString());
        assertEquals(Jmmdit.EXIT_FAILURE, prompt2.code());
        assertTrue(prompt2.err().contains("--prompt-2"), prompt2.err());

        // an output over an input is refused before the model runs
        Path embeddings = Files.copy(caseA, dir.resolve("embeddings.safetensors"));
        byte[] before = Files.readAllBytes(embeddings);
        JmmditTest.Run over = JmmditTest.run(Jmmdit.commandLine(), "generate", "--model", pipe.toString(), "--embeddings", embeddings.toString(),
                "--steps", "4", "--height", "64", "--width", "64", "--out", dir.resolve("y.png").toString(), "--save-latents", embeddings.toString());
        assertEquals(Jmmdit.EXIT_FAILURE, over.code());
        assertTrue(over.err().contains("refusing to write " + embeddings), over.err());
        assertArrayEquals(before, Files.readAllBytes(embeddings));
        assertFalse(Files.exists(dir.resolve("y.png")));

        try (Stream<Path> vae = Files.walk(pipe.resolve("vae"))) {
            vae.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        JmmditTest.Run noVae = JmmditTest.run(Jmmdit.commandLine(), "generate", "--model", pipe.toString(), "--embeddings", caseA.toString(),
                "--steps", "4", "--height", "64", "--width", "64", "--out", dir.resolve("z.png").toString());
        assertEquals(Jmmdit.EXIT_FAILURE, noVae.code());
        assertTrue(noVae.err().contains(pipe.toString()) && noVae.err().contains("vae"), noVae.err());
    }

    private JmmditTest.Run demo(long seed, Path out) {
        return JmmditTest.run(Jmmdit.commandLine(), "generate", "--model", TestData.demoModel().toString(),
                "--prompt", "a large red circle on a blue background", "--max-sequence-length", "32", "--steps", "4",
                "--height", "64", "--width", "64", "--seed", Long.toString(seed), "--out", out.toString());
    }

    @Test
    void demoModelFromAPromptIsReproducibleBySeed() throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        Path c = dir.resolve("c.png");
        for (Path p : new Path[] {a, b}) {
            JmmditTest.Run r = demo(3, p);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("64x64, 4 steps"), r.out());
        }
        assertEquals(0, demo(4, c).code());
        BufferedImage img = ImageIO.read(a.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same bytes");
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)), "another seed, another image");
    }
}

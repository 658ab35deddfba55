package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.model.testutil.TestData;

/** {@code jmmdit edit} on the demo's test image with the demo's prompts and guidance, short (4 steps instead of 16). */
class EditCommandTest {

    @TempDir
    Path dir;

    private static JmmditTest.Run edit(Path image, Path outDir, String... extra) throws Exception {
        Path model = TestData.demoModel();
        JsonNode t = DemoCommand.testImage(model, 0);
        List<String> args = new ArrayList<>(List.of("edit", "--model", model.toString(), "--image", image.toString(),
                "--source-prompt", t.get("caption").asText(), "--target-prompt", t.get("suggested_edit").asText(),
                "--max-sequence-length", "32", "--steps", "4", "--guidance", "1", "--out-dir", outDir.toString()));
        args.addAll(List.of(extra));
        return JmmditTest.run(Jmmdit.commandLine(), args.toArray(String[]::new));
    }

    private static Path testImage() throws Exception {
        Path model = TestData.demoModel();
        return model.resolve("samples").resolve(DemoCommand.testImage(model, 0).get("file").asText());
    }

    @Test
    void editsWritesTheOutputsAndReusesATrajectory() throws Exception {
        Path d1 = dir.resolve("d1");
        Path traj = dir.resolve("traj.safetensors");
        JmmditTest.Run r = edit(testImage(), d1, "--attention-maps", "red", "--save-trajectory", traj.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("edit done: inversion 12 model calls"), r.out());
        for (String f : List.of("edited.png", "reconstruction.png", "comparison.png", "attention-red.png", "report.json")) {
            assertTrue(Files.isRegularFile(d1.resolve(f)), f);
        }
        assertEquals(64, ImageIO.read(d1.resolve("edited.png").toFile()).getWidth());
        JsonNode report = new ObjectMapper().readTree(d1.resolve("report.json").toFile());
        assertEquals("ftedit", report.get("editor").asText());
        assertEquals(12, report.at("/model_calls/inversion").asInt());
        assertTrue(report.at("/model_calls/editing").asInt() > 0, report.toString());
        assertTrue(report.at("/reconstruction/psnr_db").asDouble() > 10, report.toString());
        assertTrue(report.at("/reconstruction/latent_relative_error").isNumber(), report.toString());
        assertEquals("TARGET_SIGMA", report.get("sigma_convention").asText());
        assertEquals("attention-red.png", report.at("/attention_maps/red").asText());

        Path d2 = dir.resolve("d2");
        JmmditTest.Run reuse = edit(testImage(), d2, "--trajectory", traj.toString());
        assertEquals(0, reuse.code(), reuse.err());
        JsonNode report2 = new ObjectMapper().readTree(d2.resolve("report.json").toFile());
        assertEquals(0, report2.at("/model_calls/inversion").asInt());
        assertEquals(traj.toString(), report2.get("reused_trajectory").asText());
        assertArrayEquals(Files.readAllBytes(d1.resolve("edited.png")), Files.readAllBytes(d2.resolve("edited.png")));
    }

    @Test
    void reportsTheDefaultT5Length() throws Exception {
        Path model = TestData.demoModel();
        Path out = dir.resolve("plain");
        JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), "edit", "--model", model.toString(), "--image", testImage().toString(),
                "--source-prompt", "a yellow square", "--target-prompt", "a red square", "--steps", "1", "--editor", "plain",
                "--out-dir", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(256, report.get("max_sequence_length").asInt(), "the demo model has no guidance embedding: schnell's 256");
        assertEquals("plain", report.get("editor").asText());
    }

    @Test
    void refusesToOverwriteTheInputImage() throws Exception {
        for (String name : List.of("edited.png", "comparison.png")) {
            Path out = Files.createDirectories(dir.resolve(name + "-dir"));
            Path input = Files.copy(testImage(), out.resolve(name));
            byte[] before = Files.readAllBytes(input);
            JmmditTest.Run r = edit(input, out);
            assertEquals(Jmmdit.EXIT_FAILURE, r.code());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("refusing to write") && r.err().contains(input.toString()), r.err());
            assertArrayEquals(before, Files.readAllBytes(input));
            try (var files = Files.list(out)) {
                assertEquals(List.of(input), files.toList(), "nothing written before the refusal");
            }
        }
    }
}

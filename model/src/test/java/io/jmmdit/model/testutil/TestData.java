package io.jmmdit.model.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Test data shared by every module's tests (this class reaches them through the model module's test-jar): the golden
 * copies under {@code model/src/test/resources/golden} and the bundled {@code demo-model/}, both found from the module
 * folder Maven runs tests in, so each file is stored once in the repository.
 */
public final class TestData {

    private TestData() {
    }

    /** A file or folder of the golden copies, e.g. {@code golden("vae/case-a.safetensors")}. */
    public static Path golden(String relative) {
        return Path.of("..", "model", "src", "test", "resources", "golden").resolve(relative).toAbsolutePath().normalize();
    }

    public static JsonNode json(String goldenRelative) {
        try {
            return new ObjectMapper().readTree(golden(goldenRelative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("golden " + goldenRelative + " is not readable JSON", e);
        }
    }

    /** The bundled demo model folder. */
    public static Path demoModel() {
        return Path.of("..", "demo-model").toAbsolutePath().normalize();
    }

    /** The golden FluxPipeline folder (no text side), assembled in {@code dir} from the byte-identical component copies. */
    public static Path goldenPipeline(Path dir) throws IOException {
        Path p = dir.resolve("flux-pipeline");
        Files.createDirectories(p.resolve("scheduler"));
        Files.createDirectories(p.resolve("transformer"));
        Files.createDirectories(p.resolve("vae"));
        Files.copy(golden("flux-pipeline/model_index.json"), p.resolve("model_index.json"));
        Files.copy(golden("flux-pipeline/scheduler_config.json"), p.resolve("scheduler/scheduler_config.json"));
        for (String f : List.of("config.json", "diffusion_pytorch_model.safetensors")) {
            Files.copy(golden("flux-transformer/" + f), p.resolve("transformer/" + f));
            Files.copy(golden("vae/" + f), p.resolve("vae/" + f));
        }
        return p;
    }

    /** The goldens' error measure: max|actual − expected| / max|expected|. */
    public static double relErr(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError(actual.length + " values, expected " + expected.length);
        }
        double maxAbs = 0;
        double maxErr = 0;
        for (int i = 0; i < expected.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
            maxErr = Math.max(maxErr, Math.abs(expected[i] - actual[i]));
        }
        return maxErr / maxAbs;
    }
}

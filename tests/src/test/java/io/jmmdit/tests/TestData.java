package io.jmmdit.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Data these cross-module tests share with the modules' own tests, reached from this module's folder (Maven's working
 * directory for tests) so each file is stored once in the repository: the model module's golden copies and the bundled
 * demo model.
 */
final class TestData {

    private TestData() {
    }

    static Path golden(String relative) {
        return Path.of("..", "model", "src", "test", "resources", "golden").resolve(relative).toAbsolutePath().normalize();
    }

    static Path demoModel() {
        return Path.of("..", "demo-model").toAbsolutePath().normalize();
    }

    /** The golden FluxPipeline folder, assembled in {@code dir} from the byte-identical component copies. */
    static Path goldenPipeline(Path dir) throws IOException {
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

    /** max|a − e| / max|e|. */
    static double relErr(float[] e, float[] a) {
        if (e.length != a.length) {
            throw new AssertionError(a.length + " values, expected " + e.length);
        }
        double maxAbs = 0;
        double maxErr = 0;
        for (int i = 0; i < e.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(e[i]));
            maxErr = Math.max(maxErr, Math.abs(e[i] - a[i]));
        }
        return maxErr / maxAbs;
    }
}

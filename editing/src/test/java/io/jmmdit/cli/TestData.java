package io.jmmdit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Golden files the model module's tests already carry, reached from this module's working directory (the module
 * folder, as Maven runs tests) so they are stored once in the repository; and the bundled demo model.
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

    /** The golden FluxPipeline folder (no text side), assembled in {@code dir} from the byte-identical component copies. */
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
}

package io.jmmdit.cli;

import java.nio.file.Path;

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
}

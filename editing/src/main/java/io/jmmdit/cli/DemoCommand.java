package io.jmmdit.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jmmdit demo}: the FTEdit edit of the bundled demo model's test image (yellow square → red square). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs FTEdit with the bundled demo model (a tiny FLUX-architecture model trained on coloured shapes,",
            "demo-model/) on samples/test_0.png: 16 steps, T5 length 32, K = 2, AdaLN map on every step, value injection",
            "in the single-stream blocks for the first 15% of the steps. Outputs go to --out-dir."})
public final class DemoCommand extends JmmditCommand {

    @Option(names = "--out-dir", defaultValue = "jmmdit-out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--editor", defaultValue = "ftedit", description = "ftedit, direct or plain (default: ${DEFAULT-VALUE}).")
    String editor;

    @Option(names = "--image", defaultValue = "0", description = "Which demo test image, 0-2 (default: ${DEFAULT-VALUE}).")
    int imageIndex;

    /** The bundled demo model: {@code jmmdit.home} (set by the launcher) or the working directory. */
    static Path demoModel() {
        Path home = Path.of(System.getProperty("jmmdit.home", "."));
        Path p = home.resolve("demo-model").toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve("model_index.json"))) {
            throw new IllegalArgumentException(p + ": the bundled demo model is missing (run ./jmmdit from the repository)");
        }
        return p;
    }

    /** The demo settings as the commands' options: 16 steps, T5 length 32, the chosen editor's defaults. */
    static FluxOptions demoFlux() {
        FluxOptions f = new FluxOptions();
        f.model = demoModel();
        f.steps = 16;
        f.guidance = 1f;
        f.maxSequenceLength = 32;
        return f;
    }

    static EditOptions demoEdit(String editor) {
        EditOptions e = new EditOptions();
        e.editor = editor;
        e.injectBlocks = io.jmmdit.editing.flux.InjectBlocks.DEFAULT;
        return e;
    }

    /** Entry {@code i} of the demo's samples/captions.json: file, caption, suggested edit. */
    static JsonNode testImage(Path model, int i) throws Exception {
        JsonNode images = new ObjectMapper().readTree(model.resolve("samples/captions.json").toFile()).get("images");
        if (i < 0 || i >= images.size()) {
            throw new IllegalArgumentException("--image " + i + ": the demo has test images 0-" + (images.size() - 1));
        }
        return images.get(i);
    }

    @Override
    protected int execute() throws Exception {
        FluxOptions flux = demoFlux();
        JsonNode t = testImage(flux.model, imageIndex);
        String source = t.get("caption").asText();
        String target = t.get("suggested_edit").asText();
        Path image = flux.model.resolve("samples").resolve(t.get("file").asText());
        out().println("demo: " + editorName() + " edit of " + image);
        out().println("  source: \"" + source + "\"");
        out().println("  target: \"" + target + "\"");
        out().flush();
        EditCommand.Result r = EditCommand.run(flux, demoEdit(editor), image, source, target, outDir.toAbsolutePath(), true);
        out().println(r.summary());
        out().println("comparison.png shows source | reconstruction | edit: the shape should take the target colour while the "
                + "background and layout stay as in the source. The model is tiny and trained on 64x64 shapes, so shapes are soft blobs.");
        return 0;
    }

    private String editorName() {
        return switch (editor) {
            case "ftedit" -> "FTEdit";
            case "direct" -> "Direct Inversion";
            default -> editor;
        };
    }
}

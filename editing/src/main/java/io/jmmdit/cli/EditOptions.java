package io.jmmdit.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.jmmdit.editing.Editor;
import io.jmmdit.editing.EditorKind;
import io.jmmdit.editing.flux.InjectBlocks;
import picocli.CommandLine.Option;

/** Editor options of {@code edit}, {@code demo} and {@code edit-eval} (picocli mixin). */
final class EditOptions {

    @Option(names = "--editor", defaultValue = "ftedit", description = "ftedit, direct or plain (default: ${DEFAULT-VALUE}).")
    String editor;

    @Option(names = "--fixed-point-iters", description = "FTEdit Stage I iterations K (default 2).")
    Integer fixedPointIters;

    @Option(names = "--tolerance", description = "FTEdit: stop a step's fixed-point iterations once successive iterates agree within this relative change.")
    Double tolerance;

    @Option(names = "--ly-ratio", description = "Fraction of steps with the AdaLN text-feature map (FTEdit default 1.0).")
    Double lyRatio;

    @Option(names = "--attn-ratio", description = "Fraction of steps with value injection (FTEdit and Direct default 0.15; 0 turns it off).")
    Double attnRatio;

    @Option(names = "--inject-blocks", defaultValue = InjectBlocks.DEFAULT,
            description = "Blocks with value injection: single, double, all, or e.g. single:0-3,double:1 (default: ${DEFAULT-VALUE}).")
    String injectBlocks;

    @Option(names = "--trajectory", description = "Reuse an inversion saved with --save-trajectory (same image, prompt, steps).")
    Path trajectory;

    @Option(names = "--save-trajectory", description = "Write the inversion trajectory (safetensors) for later edits.")
    Path saveTrajectory;

    @Option(names = "--size", description = "Resize the image's shorter side to this (then crop to multiples of 16).")
    Integer size;

    @Option(names = "--attention-maps", description = "Comma-separated words of the target prompt: heatmaps of the image's attention to them.")
    String attentionMaps;

    @Option(names = "--seed", description = "Encode the image with a seeded sample of the VAE posterior instead of its mode.")
    Long seed;

    Editor.Settings settings() {
        EditorKind kind = EditorKind.parse(editor);
        Editor.Settings d = Editor.Settings.defaults(kind, injectBlocks);
        return new Editor.Settings(kind, fixedPointIters != null ? fixedPointIters : d.fixedPointIterations(),
                tolerance != null ? tolerance : d.tolerance(), lyRatio != null ? lyRatio : d.lyRatio(),
                attnRatio != null ? attnRatio : d.attnRatio(), injectBlocks);
    }

    List<String> attentionWords() {
        return attentionMaps == null || attentionMaps.isBlank() ? List.of()
                : Arrays.stream(attentionMaps.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList();
    }
}

package io.jmmdit.cli;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.jmmdit.editing.eval.PixelMetrics;
import io.jmmdit.editing.eval.ShapeRegion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jmmdit edit-eval}: the three editors on the demo's test images and suggested edits, measured: PSNR and SSIM of
 * the unedited region against the source (PIE-Bench style: both images with the edited region blacked out), and the
 * mean colour of the edited region before and after.
 */
@Command(name = "edit-eval", mixinStandardHelpOptions = true,
        description = {"Runs ftedit, direct and plain on the demo model's test images with their suggested edits and prints,",
            "per image and editor: PSNR and SSIM of the unedited region, and the edited region's mean colour before and after.",
            "The edited region is the source's shape (pixels off the background colour) dilated by 2 pixels."})
public final class EditEvalCommand extends JmmditCommand {

    @Option(names = "--steps", defaultValue = "16", description = "Steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--editors", split = ",", defaultValue = "ftedit,direct,plain", description = "Editors (default: ${DEFAULT-VALUE}).")
    List<String> editors;

    @Option(names = "--out-dir", description = "Also write each edit's outputs to DIR/<image>-<editor>/.")
    Path outDir;

    @Override
    protected int execute() throws Exception {
        FluxOptions flux = DemoCommand.demoFlux();
        flux.steps = steps;
        out().println("| image | edit | editor | unedited PSNR (dB) | unedited SSIM | region colour before | region colour after | model calls |");
        out().println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < 3; i++) {
            JsonNode t = DemoCommand.testImage(flux.model, i);
            Path image = flux.model.resolve("samples").resolve(t.get("file").asText());
            String source = t.get("caption").asText();
            String target = t.get("suggested_edit").asText();
            for (String e : editors) {
                Path dir = outDir == null ? null : outDir.resolve(t.get("file").asText().replace(".png", "") + "-" + e);
                EditCommand.Result r = EditCommand.run(flux, DemoCommand.demoEdit(e), image, source, target, dir, dir != null);
                double[][][] src = PixelMetrics.rgb(r.source());
                double[][][] edited = PixelMetrics.rgb(r.edited());
                boolean[][] region = ShapeRegion.of(src);
                double[][][] a = PixelMetrics.keepUnedited(src, region);
                double[][][] b = PixelMetrics.keepUnedited(edited, region);
                out().printf("| %s | %s | %s | %.2f | %.4f | %s | %s | %d |%n", t.get("file").asText(), wordChange(source, target), e,
                        PixelMetrics.psnr(a, b), PixelMetrics.ssim(a, b), hex(ShapeRegion.meanColour(src, region)),
                        hex(ShapeRegion.meanColour(edited, region)), r.inversionCalls() + r.editingCalls());
                out().flush();
            }
        }
        return 0;
    }

    /** The words that differ, e.g. "yellow → red". */
    static String wordChange(String source, String target) {
        String[] s = source.split(" ");
        String[] t = target.split(" ");
        StringBuilder from = new StringBuilder();
        StringBuilder to = new StringBuilder();
        for (int i = 0; i < Math.min(s.length, t.length); i++) {
            if (!s[i].equals(t[i])) {
                from.append(from.length() == 0 ? "" : " ").append(s[i]);
                to.append(to.length() == 0 ? "" : " ").append(t[i]);
            }
        }
        return from + " → " + to;
    }

    static String hex(double[] rgb) {
        return String.format("#%02x%02x%02x", Math.round(rgb[0] * 255), Math.round(rgb[1] * 255), Math.round(rgb[2] * 255));
    }
}

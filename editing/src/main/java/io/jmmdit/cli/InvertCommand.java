package io.jmmdit.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jmmdit.editing.EditControls;
import io.jmmdit.editing.TrajectoryFiles;
import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.AdaptiveFixedPointInversion;
import io.jmmdit.inversion.EulerInversion;
import io.jmmdit.inversion.EulerSampler;
import io.jmmdit.inversion.FireFlowInversion;
import io.jmmdit.inversion.FixedPointInversion;
import io.jmmdit.inversion.InversionMethod;
import io.jmmdit.inversion.ProgressListener;
import io.jmmdit.inversion.RfSolverInversion;
import io.jmmdit.inversion.SamplingResult;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.SigmaConvention;
import io.jmmdit.inversion.Trajectory;
import io.jmmdit.inversion.VelocityField;
import io.jmmdit.model.image.Images;
import io.jmmdit.weights.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jmmdit invert}: image → noise trajectory, with the reconstruction error it leads to. */
@Command(name = "invert", mixinStandardHelpOptions = true,
        description = {"Inverts an image with its prompt and reports how well sampling back from the inverted noise reconstructs",
            "it (PSNR against the input, latent relative error) and the model calls. --table STEPS prints that for every",
            "method at each step count instead (the README's table). Outputs never replace the input image."})
public final class InvertCommand extends JmmditCommand {

    @Mixin
    FluxOptions flux;

    @Option(names = "--image", required = true, description = "Image to invert.")
    Path image;

    @Option(names = "--prompt", required = true, description = "Prompt describing the image.")
    String prompt;

    @Option(names = "--method", defaultValue = "fixed-point",
            description = "euler (velocity at the known point's own sigma), euler-target-sigma, fixed-point (FTEdit Stage I), "
                    + "fixed-point-adaptive, rf-solver, fireflow (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--fixed-point-iters", defaultValue = "2", description = "K for the fixed-point methods (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--tolerance", defaultValue = "1e-3", description = "Relative change that stops fixed-point-adaptive (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--size", description = "Resize the image's shorter side to this (then crop to multiples of 16).")
    Integer size;

    @Option(names = "--out", description = "Trajectory file to write (safetensors x_0…x_N + metadata).")
    Path out;

    @Option(names = "--reconstruct", description = "PNG of the reconstruction.")
    Path reconstruct;

    @Option(names = "--table", split = ",", description = "Step counts, e.g. 4,8,16,28: print the method table instead.")
    List<Integer> table;

    static InversionMethod method(String name, int k, double tol) {
        return switch (name) {
            case "euler" -> new EulerInversion(SigmaConvention.SOURCE_SIGMA);
            case "euler-target-sigma" -> new EulerInversion(SigmaConvention.TARGET_SIGMA);
            case "fixed-point" -> new FixedPointInversion(k);
            case "fixed-point-adaptive" -> new AdaptiveFixedPointInversion(k, tol);
            case "rf-solver" -> new RfSolverInversion();
            case "fireflow" -> new FireFlowInversion();
            default -> throw new IllegalArgumentException("--method " + name
                    + ": expected euler, euler-target-sigma, fixed-point, fixed-point-adaptive, rf-solver or fireflow");
        };
    }

    /** One inversion's figures. */
    record Row(String method, int steps, int calls, double latentError, double psnr) {
    }

    @Override
    protected int execute() throws Exception {
        if (table == null && out == null) {
            throw new IllegalArgumentException("give --out TRAJ.safetensors (or --table STEPS for the comparison table)");
        }
        if (table == null) {
            AtomicFiles.refuseInputs(out, List.of(image));
            if (reconstruct != null) {
                AtomicFiles.refuseInputs(reconstruct, List.of(image, out));
            }
        }
        try (FluxSession s = FluxSession.open(flux, image, size, List.of(prompt), null);
             Tensor latent = s.model.encodeImage(s.image, null)) {
            VelocityField field = s.model.field(List.of(s.prompts.get(0)), EditControls.NONE);
            if (table != null) {
                List<Row> rows = new ArrayList<>();
                for (String m : List.of("euler", "euler-target-sigma", "fixed-point", "fixed-point-adaptive")) {
                    for (int steps : table) {
                        rows.add(invert(s, field, latent, method(m, iterations, tolerance), steps, null).row);
                    }
                }
                out().println("| method | steps | model calls (inversion) | latent relative error | reconstruction PSNR (dB) |");
                out().println("|---|---|---|---|---|");
                for (Row r : rows) {
                    out().printf("| %s | %d | %d | %.4f | %.2f |%n", r.method(), r.steps(), r.calls(), r.latentError(), r.psnr());
                }
                return 0;
            }
            Inverted inv = invert(s, field, latent, method(method, iterations, tolerance), flux.steps, "invert");
            try (Trajectory t = inv.trajectory) {
                TrajectoryFiles.save(t, out, image);
                if (reconstruct != null) {
                    Images.writePng(inv.reconstruction, reconstruct, Images.ExistingFile.REPLACE, List.of(image, out));
                }
                out().printf("%s (%s), %d steps: %d model calls; reconstruction PSNR %.2f dB, latent relative error %.4f%nwrote %s%n",
                        t.method(), t.convention().name().toLowerCase(), flux.steps, t.modelCalls(), inv.row.psnr(), inv.row.latentError(), out);
            }
        }
        return 0;
    }

    private record Inverted(Trajectory trajectory, BufferedImage reconstruction, Row row) {
    }

    /** Inverts, samples back with the same prompt (no compensation) and measures; progress shown when {@code task} is set. */
    private Inverted invert(FluxSession s, VelocityField field, Tensor latent, InversionMethod m, int steps, String task) {
        Schedule schedule = s.model.schedule(steps, latent);
        Trajectory t;
        try (Progress bar = task == null ? null : new Progress(task, schedule.steps())) {
            t = m.invert(field, latent, schedule, bar == null ? ProgressListener.NONE : bar);
        }
        try (SamplingResult r = new EulerSampler().sample(field, t.noise(), schedule, ProgressListener.NONE);
             Tensor diff = r.finalBatch().sub(latent);
             Tensor decoded = s.model.decodeLatent(r.finalBatch())) {
            BufferedImage recon = Images.fromTensor(decoded);
            Row row = new Row(t.method() + (t.method().equals(EulerInversion.NAME) ? "/" + t.convention().name().toLowerCase() : ""),
                    steps, t.modelCalls(), diff.norm2() / latent.norm2(), EvalMath.psnr(s.source, recon));
            if (task == null) {
                t.close();
                return new Inverted(null, recon, row);
            }
            return new Inverted(t, recon, row);
        }
    }
}

package io.jmmdit.cli;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.jmmdit.editing.Editor;
import io.jmmdit.editing.TrajectoryFiles;
import io.jmmdit.editing.flux.CrossAttentionMaps;
import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.Trajectory;
import io.jmmdit.model.image.Figures;
import io.jmmdit.model.image.Images;
import io.jmmdit.weights.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jmmdit edit}: FTEdit, Direct Inversion or the plain baseline on a real image. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = {"Edits an image from a source prompt (describing it) to a target prompt: inversion with the source",
            "prompt, then sampling [source, target, reconstruction] with the chosen editor's controls. Writes edited.png,",
            "reconstruction.png, comparison.png, optional attention-<word>.png and report.json to --out-dir."})
public final class EditCommand extends JmmditCommand {

    private static final String EDITED = "edited.png";
    private static final String RECONSTRUCTION = "reconstruction.png";
    private static final String COMPARISON = "comparison.png";
    private static final String REPORT = "report.json";

    @Mixin
    FluxOptions flux;

    @Mixin
    EditOptions edit;

    @Option(names = "--image", required = true, description = "Image to edit (PNG/JPEG).")
    Path image;

    @Option(names = "--source-prompt", required = true, description = "Prompt describing the image.")
    String sourcePrompt;

    @Option(names = "--target-prompt", required = true, description = "Prompt describing the edit.")
    String targetPrompt;

    @Option(names = "--out-dir", required = true, description = "Folder for the outputs (created; existing outputs are replaced, inputs never).")
    Path outDir;

    @Override
    protected int execute() throws Exception {
        Result r = run(flux, edit, image, sourcePrompt, targetPrompt, outDir, true);
        out().println(r.summary());
        return 0;
    }

    /** The numbers of one edit, for the report and the evaluation table. */
    record Result(BufferedImage source, BufferedImage edited, BufferedImage reconstruction, double reconstructionPsnr,
                  double latentRelativeError, int inversionCalls, int editingCalls, long inversionMillis, long editingMillis, Path outDir) {
        String summary() {
            return String.format("edit done: inversion %d model calls (%.1f s), editing %d calls (%.1f s); reconstruction PSNR %.2f dB, latent "
                    + "relative error %.4f%s", inversionCalls, inversionMillis / 1000.0, editingCalls, editingMillis / 1000.0, reconstructionPsnr,
                    latentRelativeError, outDir == null ? "" : "\noutputs in " + outDir
                    + ": edited.png (the edit), reconstruction.png (source prompt from the inverted noise), comparison.png, report.json");
        }
    }

    static Result run(FluxOptions flux, EditOptions edit, Path imagePath, String source, String target, Path outDir, boolean write) throws Exception {
        Editor editor = new Editor(edit.settings());
        List<Path> inputs = inputs(edit, imagePath);
        if (write) {
            for (Path o : outputs(outDir, edit)) {
                AtomicFiles.refuseInputs(o, inputs);
            }
        }
        CrossAttentionMaps maps = edit.attentionWords().isEmpty() ? null : new CrossAttentionMaps(1);
        try (FluxSession s = FluxSession.open(flux, imagePath, edit.size, List.of(source, target), maps == null ? null : maps.hooks())) {
            if (maps != null) {
                maps.prepare(s.prompts.get(1).encoded().t5Tokens(), target, edit.attentionWords(), s.source.getHeight() / FluxSession.MULTIPLE,
                        s.source.getWidth() / FluxSession.MULTIPLE);
            }
            try (Tensor latent = s.model.encodeImage(s.image, edit.seed)) {
                Schedule schedule = s.model.schedule(flux.steps, latent);
                long t0 = System.nanoTime();
                Trajectory trajectory;
                if (edit.trajectory != null) {
                    trajectory = Editor.checkReusable(TrajectoryFiles.load(edit.trajectory), latent, schedule);
                } else {
                    try (Progress bar = new Progress("invert", schedule.steps())) {
                        trajectory = editor.invert(s.model, latent, s.prompts.get(0), schedule, bar);
                    }
                }
                long invMs = (System.nanoTime() - t0) / 1_000_000;
                try (trajectory;
                     Progress bar = new Progress("edit", schedule.steps());
                     Editor.Result er = editor.edit(s.model, trajectory, s.prompts.get(0), s.prompts.get(1), bar);
                     Tensor both = Tensor.concat(0, er.edited(), er.reconstruction());
                     Tensor images = s.model.decodeLatent(both);
                     Tensor editedImg = images.select(0, 0);
                     Tensor reconImg = images.select(0, 1)) {
                    BufferedImage edited = Images.fromTensor(editedImg);
                    BufferedImage recon = Images.fromTensor(reconImg);
                    double psnr = EvalMath.psnr(s.source, recon);
                    double latentErr;
                    try (Tensor d = er.reconstruction().sub(latent)) {
                        latentErr = d.norm2() / latent.norm2();
                    }
                    Result r = new Result(s.source, edited, recon, psnr, latentErr, edit.trajectory != null ? 0 : trajectory.modelCalls(),
                            er.modelCalls(), invMs, er.millis(), write ? outDir : null);
                    if (write) {
                        writeOutputs(r, edit, flux, s.maxSequenceLength, imagePath, source, target, trajectory, maps, inputs);
                    }
                    return r;
                }
            }
        }
    }

    /** The files the command reads: the image and a reused trajectory. */
    private static List<Path> inputs(EditOptions edit, Path imagePath) {
        List<Path> l = new ArrayList<>(List.of(imagePath));
        if (edit.trajectory != null) {
            l.add(edit.trajectory);
        }
        return l;
    }

    /** Every file the command writes, so that replacing an input is refused before the model runs. */
    private static List<Path> outputs(Path dir, EditOptions edit) {
        List<Path> l = new ArrayList<>(List.of(dir.resolve(EDITED), dir.resolve(RECONSTRUCTION), dir.resolve(COMPARISON), dir.resolve(REPORT)));
        edit.attentionWords().forEach(w -> l.add(dir.resolve(attentionFile(w))));
        if (edit.saveTrajectory != null) {
            l.add(edit.saveTrajectory);
        }
        return l;
    }

    private static String attentionFile(String word) {
        return "attention-" + word.replaceAll("[^A-Za-z0-9_-]", "_") + ".png";
    }

    private static void writeOutputs(Result r, EditOptions edit, FluxOptions flux, int maxSequenceLength, Path imagePath, String source,
                                     String target, Trajectory trajectory, CrossAttentionMaps maps, List<Path> protect) throws Exception {
        Path dir = r.outDir();
        Files.createDirectories(dir);
        Images.writePng(r.edited(), dir.resolve(EDITED), Images.ExistingFile.REPLACE, protect);
        Images.writePng(r.reconstruction(), dir.resolve(RECONSTRUCTION), Images.ExistingFile.REPLACE, protect);
        Images.writePng(Figures.comparison(List.of(r.source(), r.reconstruction(), r.edited()), List.of("source", "reconstruction", "edit")),
                dir.resolve(COMPARISON), Images.ExistingFile.REPLACE, protect);
        Map<String, String> mapFiles = new LinkedHashMap<>();
        if (maps != null) {
            for (String word : edit.attentionWords()) {
                try (Tensor grid = maps.map(word)) {
                    Path f = dir.resolve(attentionFile(word));
                    Images.writePng(Figures.heatmap(grid, Math.max(1, 256 / (int) grid.size(0))), f, Images.ExistingFile.REPLACE, protect);
                    mapFiles.put(word, f.getFileName().toString());
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("image", imagePath.toString());
        report.put("model", flux.model.toString());
        report.put("source_prompt", source);
        report.put("target_prompt", target);
        Editor.Settings st = edit.settings();
        report.put("editor", st.kind().name().toLowerCase());
        report.put("steps", flux.steps);
        report.put("guidance", flux.guidance);
        report.put("max_sequence_length", maxSequenceLength);
        report.put("vae_sample_seed", edit.seed);
        report.put("fixed_point_iterations", st.fixedPointIterations());
        report.put("tolerance", st.tolerance());
        report.put("ly_ratio", st.lyRatio());
        report.put("attn_ratio", st.attnRatio());
        report.put("inject_blocks", st.injectBlocks());
        report.put("inversion_method", trajectory.method());
        report.put("sigma_convention", trajectory.convention().name());
        report.put("sigmas", trajectory.schedule().sigmas());
        report.put("reused_trajectory", edit.trajectory == null ? null : edit.trajectory.toString());
        report.put("model_calls", Map.of("inversion", r.inversionCalls(), "editing", r.editingCalls()));
        report.put("seconds", Map.of("inversion", r.inversionMillis() / 1000.0, "editing", r.editingMillis() / 1000.0));
        report.put("reconstruction", Map.of("psnr_db", r.reconstructionPsnr(), "latent_relative_error", r.latentRelativeError()));
        report.put("attention_maps", mapFiles);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report);
        AtomicFiles.write(dir.resolve(REPORT), protect, ch -> ch.write(ByteBuffer.wrap(json)));
        if (edit.saveTrajectory != null) {
            TrajectoryFiles.save(trajectory, edit.saveTrajectory, protect.toArray(Path[]::new));
        }
    }
}

package io.jmmdit.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens any supported checkpoint layout as a {@link WeightSource}:
 * <ul>
 * <li>a {@code .safetensors} file → {@link SafeTensorsFile};</li>
 * <li>a {@code *.safetensors.index.json} → {@link ShardedCheckpoint};</li>
 * <li>a diffusers pipeline folder (has {@code model_index.json}) → {@link DiffusersFolder}, names {@code component/tensor};</li>
 * <li>a component folder (e.g. {@code transformer/}) → its {@link #WEIGHT_FILES weight file}, single or sharded.</li>
 * </ul>
 */
public final class Checkpoints {

    /** Weight files of a component folder, in order of preference. */
    public static final List<String> WEIGHT_FILES = List.of(
            "diffusion_pytorch_model.safetensors",
            "model.safetensors",
            "diffusion_pytorch_model.safetensors.index.json",
            "model.safetensors.index.json");

    private Checkpoints() {
    }

    public static WeightSource open(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(DiffusersFolder.MODEL_INDEX))) {
                return DiffusersFolder.open(path);
            }
            return component(path);
        }
        if (!Files.exists(path)) {
            throw new WeightsException(path + ": no such file or directory");
        }
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".index.json")) {
            return ShardedCheckpoint.open(path);
        }
        return SafeTensorsFile.open(path);
    }

    /** The weights of a diffusers/transformers component folder ({@link #WEIGHT_FILES}, first one present). */
    public static WeightSource component(Path folder) {
        Path file = weightFile(folder);
        if (file == null) {
            if (!Files.isDirectory(folder)) {
                throw new WeightsException(folder + ": no such directory");
            }
            String hint = hasBinWeights(folder) ? " (only PyTorch .bin weights found: convert them to safetensors)" : "";
            throw new WeightsException(folder + ": no weights: expected one of " + String.join(", ", WEIGHT_FILES) + hint);
        }
        return file.getFileName().toString().endsWith(".index.json") ? ShardedCheckpoint.open(file) : SafeTensorsFile.open(file);
    }

    /** The first of {@link #WEIGHT_FILES} present in {@code folder}, or null. */
    public static Path weightFile(Path folder) {
        for (String name : WEIGHT_FILES) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean hasBinWeights(Path folder) {
        return Files.isRegularFile(folder.resolve("diffusion_pytorch_model.bin")) || Files.isRegularFile(folder.resolve("pytorch_model.bin"))
                || Files.isRegularFile(folder.resolve("diffusion_pytorch_model.bin.index.json"))
                || Files.isRegularFile(folder.resolve("pytorch_model.bin.index.json"));
    }
}

package io.jmmdit.editing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.Trajectory;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.SafeTensorsWriter;
import io.jmmdit.weights.WeightsException;

/**
 * Inversion trajectories as safetensors files: one F32 tensor per point {@code x_0 … x_N} (x_0 = noise end) and the
 * trajectory's metadata (method, σ convention, sigmas, model calls, parameters) as {@code __metadata__}.
 */
public final class TrajectoryFiles {

    private TrajectoryFiles() {
    }

    /** Writes atomically; refuses to overwrite any of {@code inputs}. */
    public static void save(Trajectory t, Path path, Path... inputs) {
        SafeTensorsWriter.write(path, t.namedTensors(), t.metadata(), inputs);
    }

    public static Trajectory load(Path path) {
        try (SafeTensorsFile f = SafeTensorsFile.open(path)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : f.names()) {
                tensors.put(name, f.tensor(name));
            }
            try {
                return Trajectory.fromNamed(tensors, f.metadata());
            } catch (IllegalArgumentException e) {
                tensors.values().forEach(Tensor::close);
                throw new WeightsException(path + ": not a jmmdit trajectory (" + e.getMessage() + ")", e);
            }
        }
    }
}

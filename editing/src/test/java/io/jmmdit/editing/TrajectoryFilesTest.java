package io.jmmdit.editing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.engine.Tensor;
import io.jmmdit.inversion.FixedPointInversion;
import io.jmmdit.inversion.Schedule;
import io.jmmdit.inversion.Trajectory;
import io.jmmdit.weights.SafeTensorsWriter;
import io.jmmdit.weights.WeightsException;

class TrajectoryFilesTest {

    @TempDir
    Path dir;

    @Test
    void savedAndReloadedTrajectoryIsBitIdentical() {
        float[] x = {0.25f, -1.5f, 3.0f, 1e-7f, -0f, 7.125f};
        try (Tensor data = Tensor.of(x, 1, 2, 3);
             Trajectory t = new FixedPointInversion(2).invert((z, sigma, step) -> z.mul(0.5f).add(sigma), data, Schedule.linear(4))) {
            Path p = dir.resolve("traj.safetensors");
            TrajectoryFiles.save(t, p);
            try (Trajectory r = TrajectoryFiles.load(p)) {
                assertEquals(t.steps(), r.steps());
                assertEquals(t.method(), r.method());
                assertEquals(t.convention(), r.convention());
                assertEquals(t.modelCalls(), r.modelCalls());
                assertArrayEquals(t.schedule().sigmas(), r.schedule().sigmas());
                for (int k = 0; k <= t.steps(); k++) {
                    float[] a = t.point(k).toFloatArray();
                    float[] b = r.point(k).toFloatArray();
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "x_" + k + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void refusesToOverwriteAnInput() {
        try (Tensor data = Tensor.of(new float[] {1, 2}, 1, 2);
             Trajectory t = new FixedPointInversion(0).invert((z, sigma, step) -> z.mul(0f), data, Schedule.linear(2))) {
            Path input = dir.resolve("input.safetensors");
            assertThrows(RuntimeException.class, () -> TrajectoryFiles.save(t, input, input));
            assertTrue(Files.notExists(input));
        }
    }

    @Test
    void aFileWithoutTrajectoryMetadataIsRejectedByName() {
        Path p = dir.resolve("other.safetensors");
        SafeTensorsWriter.write(p, Map.of("x_0", Tensor.of(new float[] {1}, 1)), Map.of());
        WeightsException e = assertThrows(WeightsException.class, () -> TrajectoryFiles.load(p));
        assertTrue(e.getMessage().contains("other.safetensors"), e.getMessage());
    }
}

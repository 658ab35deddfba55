package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.model.testutil.TestData;
import io.jmmdit.inversion.FixedPointInversion;
import io.jmmdit.inversion.SigmaConvention;
import io.jmmdit.inversion.Trajectory;
import io.jmmdit.weights.SafeTensorsFile;

/** {@code jmmdit invert} on the demo model's test image. */
class InvertCommandTest {

    private static final Pattern SUMMARY = Pattern.compile("4 steps: (\\d+) model calls; reconstruction PSNR (\\d+\\.\\d+) dB");

    @TempDir
    Path dir;

    private static final Path IMAGE = TestData.demoModel().resolve("samples/test_0.png");

    private JmmditTest.Run invert(Path image, String method, Path traj, String... extra) throws Exception {
        Path model = TestData.demoModel();
        List<String> args = new ArrayList<>(List.of("invert", "--model", model.toString(), "--image", image.toString(),
                "--prompt", DemoCommand.testImage(model, 0).get("caption").asText(), "--max-sequence-length", "32", "--steps", "4",
                "--method", method, "--out", traj.toString()));
        args.addAll(List.of(extra));
        return JmmditTest.run(Jmmdit.commandLine(), args.toArray(String[]::new));
    }

    private static Matcher summary(JmmditTest.Run r) {
        assertEquals(0, r.code(), r.err());
        Matcher m = SUMMARY.matcher(r.out());
        assertTrue(m.find(), r.out());
        return m;
    }

    @Test
    void fixedPointAndEuler() throws Exception {
        Path traj = dir.resolve("traj.safetensors");
        Path recon = dir.resolve("r.png");
        Matcher fp = summary(invert(IMAGE, "fixed-point", traj, "--reconstruct", recon.toString()));
        assertEquals(12, Integer.parseInt(fp.group(1)), "K = 2: three calls per step");
        double psnr = Double.parseDouble(fp.group(2));
        assertTrue(psnr > 10 && psnr < 100, "PSNR " + psnr);
        assertEquals(64, ImageIO.read(recon.toFile()).getWidth());
        try (SafeTensorsFile f = SafeTensorsFile.open(traj)) {
            assertEquals(Set.of("x_0", "x_1", "x_2", "x_3", "x_4"), f.names());
            assertEquals(FixedPointInversion.NAME, f.metadata().get(Trajectory.KEY_METHOD));
            SigmaConvention.valueOf(f.metadata().get(Trajectory.KEY_CONVENTION));
            assertEquals("12", f.metadata().get(Trajectory.KEY_MODEL_CALLS));
        }

        Path eulerTraj = dir.resolve("euler.safetensors");
        assertEquals(4, Integer.parseInt(summary(invert(IMAGE, "euler", eulerTraj)).group(1)));
        try (SafeTensorsFile f = SafeTensorsFile.open(eulerTraj)) {
            assertEquals(SigmaConvention.SOURCE_SIGMA.name(), f.metadata().get(Trajectory.KEY_CONVENTION));
        }
    }

    @Test
    void refusesToWriteOverTheImage() throws Exception {
        Path image = Files.copy(IMAGE, dir.resolve("test_0.png"));
        Path traj = dir.resolve("t.safetensors");
        JmmditTest.Run r = invert(image, "euler", traj, "--reconstruct", image.toString());
        assertEquals(Jmmdit.EXIT_FAILURE, r.code());
        assertTrue(r.err().contains("refusing to write " + image), r.err());
        assertFalse(Files.exists(traj), "nothing written before the refusal");
    }
}

package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.model.testutil.TestData;

/** {@code jmmdit demo} as shipped (16 steps): the yellow square turns red and the black background stays. */
class DemoCommandTest {

    @TempDir
    Path dir;

    /** Mean R, G, B of {@code img} over the pixels where {@code mask} is {@code inside}. */
    private static double[] mean(BufferedImage img, boolean[] mask, boolean inside) {
        double[] m = new double[3];
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == inside) {
                int rgb = img.getRGB(i % img.getWidth(), i / img.getWidth());
                m[0] += rgb >> 16 & 0xff;
                m[1] += rgb >> 8 & 0xff;
                m[2] += rgb & 0xff;
                n++;
            }
        }
        for (int c = 0; c < 3; c++) {
            m[c] /= n;
        }
        return m;
    }

    @Test
    void testImageIndexIsChecked() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> DemoCommand.testImage(TestData.demoModel(), 3));
        assertEquals("--image 3: the demo has test images 0-2", e.getMessage());
    }

    @Test
    void turnsTheYellowSquareRed() throws Exception {
        Path out = dir.resolve("demo");
        String home = System.getProperty("jmmdit.home");
        System.setProperty("jmmdit.home", TestData.demoModel().getParent().toString());
        JmmditTest.Run r;
        try {
            r = JmmditTest.run(Jmmdit.commandLine(), "demo", "--out-dir", out.toString());
        } finally {
            if (home == null) {
                System.clearProperty("jmmdit.home");
            } else {
                System.setProperty("jmmdit.home", home);
            }
        }
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("source: \"a picture of a large yellow square"), r.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(16, report.get("steps").asInt());
        assertEquals(32, report.get("max_sequence_length").asInt());
        assertEquals(48, report.at("/model_calls/inversion").asInt(), "K = 2 at 16 steps");
        assertEquals("ftedit", report.get("editor").asText());
        assertEquals(1.0, report.get("guidance").asDouble());
        assertEquals(2, report.get("fixed_point_iterations").asInt());
        assertEquals(1.0, report.get("ly_ratio").asDouble());
        assertEquals(0.15, report.get("attn_ratio").asDouble());
        assertEquals("single", report.get("inject_blocks").asText());

        BufferedImage source = ImageIO.read(TestData.demoModel().resolve("samples/test_0.png").toFile());
        BufferedImage edited = ImageIO.read(out.resolve("edited.png").toFile());
        boolean[] square = new boolean[source.getWidth() * source.getHeight()];
        for (int i = 0; i < square.length; i++) {
            int rgb = source.getRGB(i % source.getWidth(), i / source.getWidth());
            square[i] = (rgb >> 16 & 0xff) > 128 && (rgb >> 8 & 0xff) > 128;
        }
        double[] in = mean(edited, square, true);
        double[] bg = mean(edited, square, false);
        System.out.printf("demo edit: square RGB %.0f %.0f %.0f, background %.0f %.0f %.0f%n", in[0], in[1], in[2], bg[0], bg[1], bg[2]);
        assertTrue(in[0] > 150 && in[1] < 0.6 * in[0] && in[2] < 0.6 * in[0], "the square should be red");
        assertTrue(bg[0] < 60 && bg[1] < 60 && bg[2] < 60, "the background should stay black");
    }
}

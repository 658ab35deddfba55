package io.jmmdit.editing.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** PIE-Bench's MSE / PSNR / SSIM against the float64 golden values of golden/metrics (64×64 pairs). */
class PixelMetricsTest {

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void matchesPieBenchGolden(int id) throws IOException {
        double[][][] src = PixelMetrics.rgb(read("source-" + id + ".png"));
        double[][][] edited = PixelMetrics.rgb(read("edited-" + id + ".png"));
        BufferedImage maskImg = read("mask-" + id + ".png");
        boolean[][] mask = new boolean[maskImg.getHeight()][maskImg.getWidth()];
        for (int y = 0; y < mask.length; y++) {
            for (int x = 0; x < mask[0].length; x++) {
                mask[y][x] = (maskImg.getRaster().getSample(x, y, 0)) > 127;
            }
        }
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/golden/metrics/pixel-metrics.json")) {
            g = new ObjectMapper().readTree(in).get("pairs").get(String.format("%012d", id));
        }
        double[][][] a = PixelMetrics.keepUnedited(src, mask);
        double[][][] b = PixelMetrics.keepUnedited(edited, mask);
        assertClose(g.get("mse_unedit_part").get("golden_f64").asDouble(), PixelMetrics.mse(a, b));
        assertClose(g.get("psnr_unedit_part").get("golden_f64").asDouble(), PixelMetrics.psnr(a, b));
        assertClose(g.get("ssim_unedit_part").get("golden_f64").asDouble(), PixelMetrics.ssim(a, b));
        assertClose(g.get("mse").get("golden_f64").asDouble(), PixelMetrics.mse(src, edited));
        assertClose(g.get("psnr").get("golden_f64").asDouble(), PixelMetrics.psnr(src, edited));
        assertClose(g.get("ssim").get("golden_f64").asDouble(), PixelMetrics.ssim(src, edited));
    }

    @Test
    void ssimOfIdenticalImagesIsOne() throws IOException {
        double[][][] src = PixelMetrics.rgb(read("source-3.png"));
        assertEquals(1.0, PixelMetrics.ssim(src, src), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, PixelMetrics.psnr(src, src));
    }

    @Test
    void ssimRejectsTinyImages() {
        assertThrows(IllegalArgumentException.class, () -> PixelMetrics.ssim(new double[3][8][8], new double[3][8][8]));
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-9 * Math.abs(expected));
    }

    private BufferedImage read(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/golden/metrics/" + name)) {
            return ImageIO.read(in);
        }
    }
}

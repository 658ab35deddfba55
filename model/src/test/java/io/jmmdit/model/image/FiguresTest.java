package io.jmmdit.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jmmdit.engine.Tensor;

class FiguresTest {

    private static BufferedImage flat(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static double luminance(int rgb) {
        return 0.2126 * ((rgb >> 16) & 0xFF) + 0.7152 * ((rgb >> 8) & 0xFF) + 0.0722 * (rgb & 0xFF);
    }

    @Test
    void comparisonLaysOutLabelledImagesLeftToRight() {
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF};
        List<BufferedImage> imgs = List.of(flat(64, 64, colours[0]), flat(64, 64, colours[1]), flat(64, 64, colours[2]));
        BufferedImage fig = Figures.comparison(imgs, List.of("source", "reconstruction", "edit"));
        // 64 px images are enlarged 4x to reach 256 px
        assertTrue(fig.getHeight() > 256 && fig.getWidth() > 3 * 256, fig.getWidth() + "x" + fig.getHeight());
        int bottom = fig.getHeight() - 8 - 128; // middle of the image row
        int prevX = -1;
        for (int c : colours) {
            int first = -1;
            int count = 0;
            for (int x = 0; x < fig.getWidth(); x++) {
                if ((fig.getRGB(x, bottom) & 0xFFFFFF) == c) {
                    first = first < 0 ? x : first;
                    count++;
                }
            }
            assertEquals(256, count, "image width after 4x nearest enlargement");
            assertTrue(first > prevX, "images appear left to right");
            prevX = first;
        }
        // labels: dark text pixels above the images, none in the image row's margins
        int dark = 0;
        for (int y = 0; y < fig.getHeight() - 8 - 256; y++) {
            for (int x = 0; x < fig.getWidth(); x++) {
                dark += luminance(fig.getRGB(x, y)) < 100 ? 1 : 0;
            }
        }
        assertTrue(dark > 50, "label text drawn: " + dark + " dark pixels");
    }

    @Test
    void comparisonNeedsOneLabelPerImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Figures.comparison(List.of(flat(4, 4, 0)), List.of("a", "b")));
        assertTrue(e.getMessage().contains("1 images and 2 labels"), e.getMessage());
    }

    @Test
    void heatmapUpscalesNearestWithViridisEnds() {
        Tensor grid = Tensor.of(new float[] {0f, 1f, 2f, 3f, 4f, 5f}, 2, 3);
        BufferedImage h = Figures.heatmap(grid, 10);
        assertEquals(30, h.getWidth());
        assertEquals(20, h.getHeight());
        assertEquals(0x440154, h.getRGB(0, 0) & 0xFFFFFF, "minimum is viridis' dark violet");
        assertEquals(0xFDE725, h.getRGB(29, 19) & 0xFFFFFF, "maximum is viridis' yellow");
        double prev = -1;
        for (int i = 0; i < 6; i++) {
            int cx = (i % 3) * 10;
            int cy = (i / 3) * 10;
            int colour = h.getRGB(cx, cy);
            for (int dy = 0; dy < 10; dy++) {
                for (int dx = 0; dx < 10; dx++) {
                    assertEquals(colour, h.getRGB(cx + dx, cy + dy), "cell " + i + " must be one flat block");
                }
            }
            double l = luminance(colour);
            assertTrue(l > prev, "luminance increases with the value");
            prev = l;
        }
    }

    @Test
    void heatmapEdgeCases() {
        BufferedImage c = Figures.heatmap(Tensor.full(0.3f, 2, 2), 1);
        assertEquals(0x440154, c.getRGB(1, 1) & 0xFFFFFF, "constant grid uses the minimum colour");
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Figures.heatmap(Tensor.of(new float[] {0, Float.NaN}, 1, 2), 4));
        assertTrue(nan.getMessage().contains("row 0, col 1"), nan.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> Figures.heatmap(Tensor.zeros(2, 2, 2), 4));
        assertTrue(rank.getMessage().contains("[2, 2, 2]"), rank.getMessage());
    }
}

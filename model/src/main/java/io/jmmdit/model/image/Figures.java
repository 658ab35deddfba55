package io.jmmdit.model.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import io.jmmdit.engine.Tensor;

/**
 * Figures for reports, drawn with Java2D: labelled side-by-side comparisons (e.g. {@code comparison.png}: source |
 * reconstruction | edit) and heatmaps of float grids (attention maps). Save them with {@link Images#writePng}.
 */
public final class Figures {

    /** Images shorter than this are enlarged by an integer factor (nearest neighbour) in comparisons. */
    public static final int MIN_COMPARISON_HEIGHT = 256;

    private static final int PAD = 8;

    /** Viridis (matplotlib) sampled at 10 equally spaced points; {@link #heatmap} interpolates linearly between them. */
    private static final int[] VIRIDIS = {
        0x440154, 0x482878, 0x3E4989, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6ECE58, 0xB5DE2B, 0xFDE725
    };

    private Figures() {
    }

    /**
     * The images in a row on a white background, each with its label centred above it. All images are enlarged by
     * the same integer factor (nearest neighbour, so pixels stay sharp) when the tallest is under
     * {@link #MIN_COMPARISON_HEIGHT} pixels.
     */
    public static BufferedImage comparison(List<BufferedImage> images, List<String> labels) {
        if (images.isEmpty() || images.size() != labels.size()) {
            throw new IllegalArgumentException("comparison needs one label per image and at least one image, got "
                    + images.size() + " images and " + labels.size() + " labels");
        }
        int maxH = images.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
        int factor = Math.max(1, MIN_COMPARISON_HEIGHT / maxH);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
        FontMetrics fm = metrics(font);
        int labelH = fm.getHeight() + PAD;
        int[] cellW = new int[images.size()];
        int totalW = PAD;
        for (int i = 0; i < cellW.length; i++) {
            cellW[i] = Math.max(images.get(i).getWidth() * factor, fm.stringWidth(labels.get(i)));
            totalW += cellW[i] + PAD;
        }
        int totalH = PAD + labelH + maxH * factor + PAD;
        BufferedImage out = new BufferedImage(totalW, totalH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, totalW, totalH);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(font);
            g.setColor(Color.BLACK);
            int x = PAD;
            for (int i = 0; i < cellW.length; i++) {
                BufferedImage img = images.get(i);
                String label = labels.get(i);
                g.drawString(label, x + (cellW[i] - fm.stringWidth(label)) / 2, PAD + fm.getAscent());
                int w = img.getWidth() * factor;
                g.drawImage(img, x + (cellW[i] - w) / 2, PAD + labelH, w, img.getHeight() * factor, null);
                x += cellW[i] + PAD;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * A [rows, cols] grid as a colour image: values scaled linearly from the grid's minimum (dark violet) to its
     * maximum (yellow) through a viridis-like map; each value becomes a {@code cellSize}×{@code cellSize} block
     * (nearest-neighbour upscaling). A constant grid is drawn in the minimum colour. NaN or infinite values are an error.
     */
    public static BufferedImage heatmap(Tensor grid, int cellSize) {
        long[] s = grid.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("heatmap expects a grid [rows, cols], got " + grid.shapeString());
        }
        if (cellSize <= 0) {
            throw new IllegalArgumentException("heatmap cell size must be positive, got " + cellSize);
        }
        int rows = Math.toIntExact(s[0]);
        int cols = Math.toIntExact(s[1]);
        float[] v = grid.toFloatArray();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("heatmap value at row " + i / cols + ", col " + i % cols + " is " + v[i]);
            }
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        float range = max - min;
        BufferedImage out = new BufferedImage(Math.multiplyExact(cols, cellSize), Math.multiplyExact(rows, cellSize), BufferedImage.TYPE_INT_RGB);
        int[] block = new int[cellSize * cellSize];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double t = range > 0 ? (v[r * cols + c] - min) / (double) range : 0;
                Arrays.fill(block, colour(t));
                out.setRGB(c * cellSize, r * cellSize, cellSize, cellSize, block, 0, cellSize);
            }
        }
        return out;
    }

    /** Viridis-like colour for t in [0, 1], as 0xRRGGBB. */
    private static int colour(double t) {
        double pos = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) pos);
        double f = pos - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int red = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
        int green = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
        int blue = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        return (red << 16) | (green << 8) | blue;
    }

    private static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }
}

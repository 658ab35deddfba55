package io.jmmdit.editing.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * The edited region of the demo's synthetic images (issue 7): the pixels of the source whose colour differs from the
 * background colour, dilated by {@link #DILATION} pixels. The background colour is the most frequent colour of the
 * image border; "differs" means some channel is more than {@link #TOLERANCE} away (PNG colours of these images are
 * flat, but the VAE-free originals still carry soft edges).
 */
public final class ShapeRegion {

    public static final int DILATION = 2;
    public static final double TOLERANCE = 48 / 255.0;

    private ShapeRegion() {
    }

    /** The region mask [H][W] (true = edited region) of an image [3][H][W] in [0, 1]. */
    public static boolean[][] of(double[][][] img) {
        int h = img[0].length;
        int w = img[0][0].length;
        double[] bg = borderMode(img);
        boolean[][] shape = new boolean[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    if (Math.abs(img[c][y][x] - bg[c]) > TOLERANCE) {
                        shape[y][x] = true;
                    }
                }
            }
        }
        return dilate(shape, DILATION);
    }

    /** Mean colour [r, g, b] of the image inside the mask (NaN if the mask is empty). */
    public static double[] meanColour(double[][][] img, boolean[][] mask) {
        double[] s = new double[3];
        long n = 0;
        for (int y = 0; y < mask.length; y++) {
            for (int x = 0; x < mask[0].length; x++) {
                if (mask[y][x]) {
                    for (int c = 0; c < 3; c++) {
                        s[c] += img[c][y][x];
                    }
                    n++;
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            s[c] = n == 0 ? Double.NaN : s[c] / n;
        }
        return s;
    }

    static double[] borderMode(double[][][] img) {
        int h = img[0].length;
        int w = img[0][0].length;
        Map<Long, Integer> counts = new HashMap<>();
        long best = 0;
        int bestCount = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y != 0 && y != h - 1 && x != 0 && x != w - 1) {
                    continue;
                }
                long key = 0;
                for (int c = 0; c < 3; c++) {
                    key = key * 256 + Math.round(img[c][y][x] * 255);
                }
                int n = counts.merge(key, 1, Integer::sum);
                if (n > bestCount) {
                    bestCount = n;
                    best = key;
                }
            }
        }
        return new double[] {((best >> 16) & 0xFF) / 255.0, ((best >> 8) & 0xFF) / 255.0, (best & 0xFF) / 255.0};
    }

    static boolean[][] dilate(boolean[][] m, int r) {
        int h = m.length;
        int w = m[0].length;
        boolean[][] out = new boolean[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!m[y][x]) {
                    continue;
                }
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            out[yy][xx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }
}

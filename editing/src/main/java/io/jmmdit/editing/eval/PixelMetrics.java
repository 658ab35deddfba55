package io.jmmdit.editing.eval;

import java.awt.image.BufferedImage;

/**
 * MSE, PSNR and SSIM on the unedited region exactly as PIE-Bench computes them (torchmetrics, data range 1): both
 * images in [0, 1] are multiplied by (1 − mask) and every mean runs over all 3·H·W values, masked ones included.
 * Images are [3][H][W] in [0, 1]; {@code editMask} is [H][W], true = edited region (excluded). Computed in double.
 */
public final class PixelMetrics {

    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;
    private static final double[] GAUSS = gaussian11();

    private PixelMetrics() {
    }

    /** An 8-bit RGB image as [3][H][W] in [0, 1]. */
    public static double[][][] rgb(BufferedImage img) {
        double[][][] out = new double[3][img.getHeight()][img.getWidth()];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                out[0][y][x] = ((p >> 16) & 0xFF) / 255.0;
                out[1][y][x] = ((p >> 8) & 0xFF) / 255.0;
                out[2][y][x] = (p & 0xFF) / 255.0;
            }
        }
        return out;
    }

    /** Both images with the edited region set to 0 (PIE-Bench's "unedit part"); a null mask keeps everything. */
    public static double[][][] keepUnedited(double[][][] img, boolean[][] editMask) {
        int c = img.length;
        int h = img[0].length;
        int w = img[0][0].length;
        double[][][] out = new double[c][h][w];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[k][y][x] = editMask != null && editMask[y][x] ? 0 : img[k][y][x];
                }
            }
        }
        return out;
    }

    public static double mse(double[][][] a, double[][][] b) {
        double s = 0;
        long n = 0;
        for (int k = 0; k < a.length; k++) {
            for (int y = 0; y < a[k].length; y++) {
                for (int x = 0; x < a[k][y].length; x++) {
                    double d = a[k][y][x] - b[k][y][x];
                    s += d * d;
                    n++;
                }
            }
        }
        return s / n;
    }

    /** 10·log10(1/MSE) (infinite for identical images). */
    public static double psnr(double[][][] a, double[][][] b) {
        return -10 * Math.log10(mse(a, b));
    }

    /**
     * SSIM with an 11-tap Gaussian window (σ = 1.5), valid positions only, population variances, averaged over
     * channels and positions.
     */
    public static double ssim(double[][][] a, double[][][] b) {
        int h = a[0].length;
        int w = a[0][0].length;
        if (h < 11 || w < 11) {
            throw new IllegalArgumentException("SSIM needs images of at least 11×11, got " + w + "×" + h);
        }
        double sum = 0;
        long n = 0;
        for (int k = 0; k < a.length; k++) {
            double[][] x = a[k];
            double[][] y = b[k];
            double[][] mx = filter(x, x, false);
            double[][] my = filter(y, y, false);
            double[][] mxx = filter(x, x, true);
            double[][] myy = filter(y, y, true);
            double[][] mxy = filter(x, y, true);
            for (int i = 0; i < mx.length; i++) {
                for (int j = 0; j < mx[0].length; j++) {
                    double ux = mx[i][j];
                    double uy = my[i][j];
                    double vx = mxx[i][j] - ux * ux;
                    double vy = myy[i][j] - uy * uy;
                    double cxy = mxy[i][j] - ux * uy;
                    sum += ((2 * ux * uy + C1) * (2 * cxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
                    n++;
                }
            }
        }
        return sum / n;
    }

    /** Valid 2-D Gaussian filtering of x (or of x·y when {@code product}). */
    private static double[][] filter(double[][] x, double[][] y, boolean product) {
        int h = x.length;
        int w = x[0].length;
        double[][] rows = new double[h][w - 10];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w - 10; j++) {
                double s = 0;
                for (int t = 0; t < 11; t++) {
                    double v = product ? x[i][j + t] * y[i][j + t] : x[i][j + t];
                    s += GAUSS[t] * v;
                }
                rows[i][j] = s;
            }
        }
        double[][] out = new double[h - 10][w - 10];
        for (int i = 0; i < h - 10; i++) {
            for (int j = 0; j < w - 10; j++) {
                double s = 0;
                for (int t = 0; t < 11; t++) {
                    s += GAUSS[t] * rows[i + t][j];
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    private static double[] gaussian11() {
        double[] g = new double[11];
        double sum = 0;
        for (int i = 0; i < 11; i++) {
            double x = (i - 5) / 1.5;
            g[i] = Math.exp(-x * x / 2);
            sum += g[i];
        }
        for (int i = 0; i < 11; i++) {
            g[i] /= sum;
        }
        return g;
    }
}

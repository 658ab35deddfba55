package io.jmmdit.cli;

import java.awt.image.BufferedImage;

import io.jmmdit.editing.eval.PixelMetrics;

/** Image comparisons the commands print. */
final class EvalMath {

    private EvalMath() {
    }

    /** PSNR (dB, data range 1) of two 8-bit images of the same size. */
    static double psnr(BufferedImage a, BufferedImage b) {
        return PixelMetrics.psnr(PixelMetrics.rgb(a), PixelMetrics.rgb(b));
    }
}

package io.jmmdit.model.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.AtomicFiles;

/**
 * Image files ↔ model tensors, following diffusers' VaeImageProcessor conventions: an RGB image is a float32
 * [1, 3, H, W] tensor in [−1, 1] ({@code 2·(v/255) − 1}); back to 8 bits by {@code round(clamp(x/2 + 0.5, 0, 1)·255)}
 * (round half to even, like numpy), i.e. {@code (x+1)·127.5} rounded.
 *
 * <p>Reading: any format javax.imageio decodes (PNG, JPEG, BMP, GIF); the pixel count is checked from the header
 * before decoding. Gray images are replicated to RGB by their stored values (not through Java2D's linear-gray colour
 * conversion), transparency is composited over white, ICC profiles and EXIF orientation are ignored (sRGB assumed).
 *
 * <p>Preprocessing policy: {@link #resizeCenterCrop} scales the image (aspect ratio kept) until it covers the target
 * size, then cuts the centre; {@link #shortSideSize} picks a target that keeps the shorter side at a requested length
 * and trims the longer one down to a multiple (16 for FLUX: VAE factor 8 × 2×2 packing). Downscaling halves the image
 * repeatedly before the final bicubic step (Java2D's bicubic alone aliases when shrinking more than 2×).
 *
 * <p>Writing PNGs is atomic (temporary file in the target directory, then an atomic rename), never replaces a protected
 * input file, and replaces other existing files only when asked.
 */
public final class Images {

    /** Default limit for {@link #read}: 4096 × 4096 pixels. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;

    /** What {@link #writePng} does when the target file exists. */
    public enum ExistingFile {
        /** Fail with an error naming the file. */
        REFUSE,
        /** Replace it atomically (unless it is a protected input). */
        REPLACE
    }

    /** A size in pixels. */
    public record Size(int width, int height) {
        public Size {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
            }
        }

        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    private Images() {
    }

    /**
     * Reads an image file as an opaque RGB image ({@link BufferedImage#TYPE_INT_RGB}).
     *
     * @param maxPixels images with more than this many pixels are refused before they are decoded
     * @throws IOException naming the file when it is missing, not a decodable image, corrupt, or over the pixel limit
     */
    public static BufferedImage read(Path file, long maxPixels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("cannot read image " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read image " + file + ": permission denied");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot read image " + file + ": cannot open it");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("cannot read image " + file + ": not a PNG, JPEG or other image format javax.imageio can decode");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                long pixels = (long) w * h;
                if (pixels > maxPixels) {
                    throw new ImageTooLargeException(String.format("image %s is %dx%d = %d pixels, over the limit of %d pixels",
                            file, w, h, pixels, maxPixels));
                }
                return toRgb(reader.read(0));
            } catch (ImageTooLargeException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read image " + file + " (" + reader.getFormatName() + "): " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Thrown by {@link #read} when an image exceeds the pixel limit. */
    public static final class ImageTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        ImageTooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Target size for the "shorter side" policy: the shorter side becomes {@code shortSide}, the longer one is scaled
     * by the same factor (rounded) and then trimmed down to a multiple of {@code multiple} (the centre crop of
     * {@link #resizeCenterCrop} removes the excess).
     *
     * @param shortSide must itself be a multiple of {@code multiple}
     */
    public static Size shortSideSize(int width, int height, int shortSide, int multiple) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (multiple <= 0 || shortSide <= 0 || shortSide % multiple != 0) {
            throw new IllegalArgumentException("short side " + shortSide + " must be a positive multiple of " + multiple);
        }
        int shorter = Math.min(width, height);
        int longer = Math.max(width, height);
        long scaledLonger = Math.round((double) longer * shortSide / shorter);
        int longSide = Math.toIntExact(scaledLonger / multiple * multiple);
        return width <= height ? new Size(shortSide, longSide) : new Size(longSide, shortSide);
    }

    /**
     * Scales {@code src} with its aspect ratio kept until it covers width×height, then crops the centre to exactly
     * width×height. Bicubic interpolation with Java2D quality hints, after repeated halving for large reductions.
     */
    public static BufferedImage resizeCenterCrop(BufferedImage src, int width, int height) {
        Size target = new Size(width, height);
        int w = src.getWidth();
        int h = src.getHeight();
        double scale = Math.max((double) width / w, (double) height / h);
        int sw = Math.max(width, (int) Math.round(w * scale));
        int sh = Math.max(height, (int) Math.round(h * scale));
        BufferedImage scaled = sw == w && sh == h ? toRgb(src) : scale(toRgb(src), sw, sh);
        BufferedImage out = new BufferedImage(target.width(), target.height(), BufferedImage.TYPE_INT_RGB);
        int x0 = (sw - width) / 2;
        int y0 = (sh - height) / 2;
        int[] row = scaled.getRGB(x0, y0, width, height, null, 0, width);
        out.setRGB(0, 0, width, height, row, 0, width);
        return out;
    }

    /** An RGB image as a float32 [1, 3, H, W] tensor in [−1, 1]: {@code 2·(v/255) − 1} (diffusers VaeImageProcessor). */
    public static Tensor toTensor(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        int[] rgb = toRgb(image).getRGB(0, 0, w, h, null, 0, w);
        float[] t = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            t[i] = 2f * (((p >> 16) & 0xFF) / 255f) - 1f;
            t[plane + i] = 2f * (((p >> 8) & 0xFF) / 255f) - 1f;
            t[2 * plane + i] = 2f * ((p & 0xFF) / 255f) - 1f;
        }
        return Tensor.of(t, 1, 3, h, w);
    }

    /**
     * A [1, 3, H, W] tensor in [−1, 1] as an RGB image: {@code round(clamp(x/2 + 0.5, 0, 1)·255)}, round half to even
     * (diffusers VaeImageProcessor.postprocess + numpy_to_pil). NaN values are an error.
     */
    public static BufferedImage fromTensor(Tensor image) {
        long[] s = image.shape();
        if (s.length != 4 || s[0] != 1 || s[1] != 3) {
            throw new IllegalArgumentException("expected an image tensor [1, 3, H, W], got " + image.shapeString());
        }
        int h = Math.toIntExact(s[2]);
        int w = Math.toIntExact(s[3]);
        int plane = w * h;
        float[] t = image.toFloatArray();
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (to8(t, i, w, plane) << 16) | (to8(t, plane + i, w, plane) << 8) | to8(t, 2 * plane + i, w, plane);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    /**
     * Writes {@code image} as a PNG atomically: into a temporary file in the target's directory, flushed to disk, then
     * renamed over the target atomically ({@link AtomicFiles}). Readers never see a partial file, and a
     * failure leaves no temporary file behind.
     *
     * @param existing        whether an existing target may be replaced
     * @param protectedInputs files that must never be overwritten (e.g. the source images of this run); writing to one
     *                        of them (also via another path to the same file) is refused even with REPLACE
     * @throws IOException naming the target when it is protected, exists under REFUSE, or cannot be written
     */
    public static void writePng(BufferedImage image, Path target, ExistingFile existing, Collection<Path> protectedInputs) throws IOException {
        AtomicFiles.refuseInputs(target, protectedInputs);
        if (Files.exists(target) && !Files.isDirectory(target) && existing == ExistingFile.REFUSE) {
            throw new IOException("refusing to overwrite existing file " + target + " (choose another output path or allow replacing it)");
        }
        AtomicFiles.write(target, protectedInputs, ch -> {
            OutputStream out = Channels.newOutputStream(ch);
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for this image type");
            }
            out.flush();
        });
    }

    private static int to8(float[] t, int i, int w, int plane) {
        float x = t[i];
        if (Float.isNaN(x)) {
            int p = i % plane;
            throw new IllegalArgumentException("image tensor has NaN at channel " + i / plane + ", y " + p / w + ", x " + p % w);
        }
        float y = Math.min(1f, Math.max(0f, x / 2f + 0.5f));
        return (int) Math.rint(y * 255f);
    }

    /** Any BufferedImage as TYPE_INT_RGB: gray by stored value, alpha composited over white. */
    private static BufferedImage toRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int[] rgb = new int[w * h];
        Raster r = src.getRaster();
        boolean alpha = src.getColorModel().hasAlpha();
        if (src.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // stored gray values; Java2D would treat them as linear light and brighten them when converting to sRGB
            double grayMax = (1 << src.getColorModel().getComponentSize(0)) - 1;
            double alphaMax = alpha ? (1 << src.getColorModel().getComponentSize(1)) - 1 : 1;
            for (int y = 0, i = 0; y < h; y++) {
                for (int x = 0; x < w; x++, i++) {
                    int g = (int) Math.round(r.getSample(x, y, 0) * 255 / grayMax);
                    int a = alpha ? (int) Math.round(r.getSample(x, y, 1) * 255 / alphaMax) : 255;
                    int v = overWhite(g, a);
                    rgb[i] = (v << 16) | (v << 8) | v;
                }
            }
        } else {
            src.getRGB(0, 0, w, h, rgb, 0, w);
            if (alpha) {
                for (int i = 0; i < rgb.length; i++) {
                    int p = rgb[i];
                    int a = p >>> 24;
                    rgb[i] = (overWhite((p >> 16) & 0xFF, a) << 16) | (overWhite((p >> 8) & 0xFF, a) << 8) | overWhite(p & 0xFF, a);
                }
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int overWhite(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /** Bicubic scaling to tw×th; reductions by more than 2× first halve the image (bicubic) until within 2×. */
    private static BufferedImage scale(BufferedImage src, int tw, int th) {
        BufferedImage cur = src;
        int cw = src.getWidth();
        int ch = src.getHeight();
        do {
            cw = cw > 2 * tw ? cw / 2 : tw;
            ch = ch > 2 * th ? ch / 2 : th;
            BufferedImage next = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
                g.drawImage(cur, 0, 0, cw, ch, null);
            } finally {
                g.dispose();
            }
            cur = next;
        } while (cw != tw || ch != th);
        return cur;
    }
}

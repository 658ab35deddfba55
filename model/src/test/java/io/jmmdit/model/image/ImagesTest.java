package io.jmmdit.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.image.Images.ExistingFile;
import io.jmmdit.model.image.Images.Size;

class ImagesTest {

    @TempDir
    Path dir;

    /** A deterministic image using all 256 values in every channel. */
    private static BufferedImage synthetic(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 7 + y * 3) & 0xFF;
                int g = (x * 13 + y * 31 + 5) & 0xFF;
                int b = (x ^ y) * 11 & 0xFF;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void tensorRoundTripThroughPngIsExact() throws IOException {
        BufferedImage src = synthetic(48, 32);
        Tensor t = Images.toTensor(src);
        assertArrayEquals(new long[] {1, 3, 32, 48}, t.shape());
        assertEquals(-1f, t.get(0, 0, 0, 0), 0f); // r = 0 at (0, 0)
        assertEquals(2f * (5 / 255f) - 1f, t.get(0, 1, 0, 0), 0f); // g = 5
        assertTrue(t.maxAbs() <= 1.0);
        Path png = dir.resolve("round.png");
        Images.writePng(Images.fromTensor(t), png, ExistingFile.REFUSE, List.of());
        BufferedImage back = Images.read(png, Images.DEFAULT_MAX_PIXELS);
        assertArrayEquals(pixels(src), pixels(back));
    }

    @Test
    void fromTensorClampsAndRounds() {
        // x = -2 → 0, 2 → 255, 0 → 127.5 → 128 (half to even), 0.5 → 191.25 → 191, -0.5 → 63.75 → 64
        Tensor t = Tensor.of(new float[] {-2f, 2f, 0f, 0.5f, -0.5f, 1f}, 1, 3, 1, 2);
        int[] p = pixels(Images.fromTensor(t));
        assertEquals((0 << 16) | (128 << 8) | 64, p[0] & 0xFFFFFF);
        assertEquals((255 << 16) | (191 << 8) | 255, p[1] & 0xFFFFFF);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Images.fromTensor(Tensor.of(new float[] {0, 0, 0, Float.NaN, 0, 0}, 1, 3, 1, 2)));
        assertTrue(nan.getMessage().contains("NaN at channel 1, y 0, x 1"), nan.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> Images.fromTensor(Tensor.zeros(3, 4, 4)));
        assertTrue(shape.getMessage().contains("[1, 3, H, W]") && shape.getMessage().contains("[3, 4, 4]"), shape.getMessage());
    }

    @Test
    void atomicWriteLeavesOnlyTheTarget() throws IOException {
        Path out = dir.resolve("sub").resolve("comparison.png");
        Images.writePng(synthetic(20, 10), out, ExistingFile.REFUSE, List.of());
        assertEquals(List.of("comparison.png"), files(out.getParent()));
        Images.writePng(synthetic(10, 10), out, ExistingFile.REPLACE, List.of());
        assertEquals(List.of("comparison.png"), files(out.getParent()));
        assertEquals(10, ImageIO.read(out.toFile()).getWidth());
    }

    @Test
    void refusesExistingFilesAndProtectedInputs() throws IOException {
        Path existing = dir.resolve("a.png");
        Images.writePng(synthetic(8, 8), existing, ExistingFile.REFUSE, List.of());
        byte[] before = Files.readAllBytes(existing);

        IOException refuse = assertThrows(IOException.class, () -> Images.writePng(synthetic(4, 4), existing, ExistingFile.REFUSE, List.of()));
        assertTrue(refuse.getMessage().contains("a.png") && refuse.getMessage().contains("existing"), refuse.getMessage());

        // protected even with REPLACE, also when named through another path
        Path sameViaDots = dir.resolve("x").resolve("..").resolve("a.png");
        IOException input = assertThrows(IOException.class,
                () -> Images.writePng(synthetic(4, 4), sameViaDots, ExistingFile.REPLACE, List.of(existing)));
        assertTrue(input.getMessage().contains("is an input"), input.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), existing);
        assertThrows(IOException.class, () -> Images.writePng(synthetic(4, 4), existing, ExistingFile.REPLACE, List.of(link)));

        assertArrayEquals(before, Files.readAllBytes(existing), "refused writes must not touch the file");
        assertEquals(List.of("a.png", "link.png"), files(dir));

        IOException isDir = assertThrows(IOException.class, () -> Images.writePng(synthetic(4, 4), dir, ExistingFile.REPLACE, List.of()));
        assertTrue(isDir.getMessage().contains("directory"), isDir.getMessage());
    }

    @Test
    void pixelLimitErrorNamesFileSizeAndLimit() throws IOException {
        Path big = dir.resolve("big.png");
        Images.writePng(synthetic(300, 200), big, ExistingFile.REFUSE, List.of());
        Images.ImageTooLargeException e = assertThrows(Images.ImageTooLargeException.class, () -> Images.read(big, 59_999));
        assertEquals("image " + big + " is 300x200 = 60000 pixels, over the limit of 59999 pixels", e.getMessage());
        assertEquals(300, Images.read(big, 60_000).getWidth());
    }

    @Test
    void unreadableFilesAreNamed() throws IOException {
        Path missing = dir.resolve("missing.png");
        IOException m = assertThrows(IOException.class, () -> Images.read(missing, Images.DEFAULT_MAX_PIXELS));
        assertTrue(m.getMessage().contains(missing.toString()) && m.getMessage().contains("no such file"), m.getMessage());

        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        IOException t = assertThrows(IOException.class, () -> Images.read(text, Images.DEFAULT_MAX_PIXELS));
        assertTrue(t.getMessage().contains(text.toString()) && t.getMessage().contains("javax.imageio"), t.getMessage());

        Path good = dir.resolve("good.png");
        Images.writePng(synthetic(64, 64), good, ExistingFile.REFUSE, List.of());
        byte[] b = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(b, b.length / 2));
        IOException c = assertThrows(IOException.class, () -> Images.read(truncated, Images.DEFAULT_MAX_PIXELS));
        assertTrue(c.getMessage().contains(truncated.toString()), c.getMessage());
    }

    @Test
    void readsJpegGrayAndTransparentImagesAsRgb() throws IOException {
        Path jpg = dir.resolve("flat.jpg");
        BufferedImage flat = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                flat.setRGB(x, y, 0x3080C0);
            }
        }
        assertTrue(ImageIO.write(flat, "jpeg", jpg.toFile()));
        BufferedImage j = Images.read(jpg, Images.DEFAULT_MAX_PIXELS);
        assertEquals(BufferedImage.TYPE_INT_RGB, j.getType());
        int p = j.getRGB(16, 8);
        assertEquals(0x30, (p >> 16) & 0xFF, 3);
        assertEquals(0x80, (p >> 8) & 0xFF, 3);
        assertEquals(0xC0, p & 0xFF, 3);

        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 2, 0, 128);
        Path grayPng = dir.resolve("gray.png");
        assertTrue(ImageIO.write(gray, "png", grayPng.toFile()));
        BufferedImage g = Images.read(grayPng, Images.DEFAULT_MAX_PIXELS);
        assertEquals(0x808080, g.getRGB(1, 2) & 0xFFFFFF, "stored gray 128 must stay 128, not be gamma-converted");
        assertEquals(0x000000, g.getRGB(0, 0) & 0xFFFFFF);

        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00FF0000); // fully transparent red → white
        argb.setRGB(1, 0, 0xFF0000FF); // opaque blue
        Path alphaPng = dir.resolve("alpha.png");
        assertTrue(ImageIO.write(argb, "png", alphaPng.toFile()));
        BufferedImage a = Images.read(alphaPng, Images.DEFAULT_MAX_PIXELS);
        assertEquals(0xFFFFFF, a.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, a.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void shortSidePolicyDimensions() {
        assertEquals(new Size(512, 512), Images.shortSideSize(1000, 1000, 512, 16));
        // 1920x1080 → 910.2x512 → 910 → 896 (multiple of 16)
        assertEquals(new Size(896, 512), Images.shortSideSize(1920, 1080, 512, 16));
        assertEquals(new Size(512, 896), Images.shortSideSize(1080, 1920, 512, 16));
        // upscaling a small image: 50x30 → 106.7x64 → 107 → 96
        assertEquals(new Size(96, 64), Images.shortSideSize(50, 30, 64, 16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Images.shortSideSize(100, 100, 500, 16));
        assertTrue(e.getMessage().contains("500") && e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void resizeCenterCropDimensionsAndContent() {
        // left half red, right half blue; 200x100 → cover 64x64: scaled to 128x64, the centre 64 columns straddle the edge
        BufferedImage two = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                two.setRGB(x, y, x < 100 ? 0xFF0000 : 0x0000FF);
            }
        }
        BufferedImage sq = Images.resizeCenterCrop(two, 64, 64);
        assertEquals(64, sq.getWidth());
        assertEquals(64, sq.getHeight());
        assertEquals(0xFF0000, sq.getRGB(2, 32) & 0xFFFFFF);
        assertEquals(0x0000FF, sq.getRGB(61, 32) & 0xFFFFFF);

        // a flat colour stays flat after a large reduction (no dark borders, no ringing) and after an enlargement
        BufferedImage flat = new BufferedImage(1000, 700, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 700; y++) {
            for (int x = 0; x < 1000; x++) {
                flat.setRGB(x, y, 0x4080C0);
            }
        }
        for (Size s : new Size[] {new Size(48, 32), new Size(1200, 1600)}) {
            BufferedImage r = Images.resizeCenterCrop(flat, s.width(), s.height());
            assertEquals(s, new Size(r.getWidth(), r.getHeight()));
            for (int p : pixels(r)) {
                assertEquals(0x4080C0, p & 0xFFFFFF, "flat colour changed at size " + s);
            }
        }
        BufferedImage same = Images.resizeCenterCrop(synthetic(40, 30), 40, 30);
        assertArrayEquals(pixels(synthetic(40, 30)), pixels(same));
    }
}

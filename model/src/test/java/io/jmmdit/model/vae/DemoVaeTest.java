package io.jmmdit.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.image.Images;
import io.jmmdit.model.testutil.TestData;

/** The trained demo VAE (FLUX layout, 4 blocks, BF16 weights): reconstruction quality and timing. */
class DemoVaeTest {

    static AutoencoderKL vae;

    @BeforeAll
    static void load() {
        vae = AutoencoderKL.load(TestData.demoModel().resolve("vae"));
    }

    @AfterAll
    static void close() {
        vae.close();
    }

    /** RGB PNG → [1, 3, H, W] in [−1, 1] (x/127.5 − 1, as diffusers' VaeImageProcessor). */
    static Tensor readImage(Path file) throws IOException {
        return Images.toTensor(Images.read(file, Images.DEFAULT_MAX_PIXELS));
    }

    /** uint8 PSNR of two [1, 3, H, W] images in [−1, 1] (clamped, round((x+1)·127.5) as the pipeline saves them). */
    static double psnrUint8(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double se = 0;
        for (int i = 0; i < x.length; i++) {
            double d = toByte(x[i]) - toByte(y[i]);
            se += d * d;
        }
        double mse = se / x.length;
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    static int toByte(float v) {
        double c = Math.max(-1, Math.min(1, v));
        return (int) Math.round((c + 1) * 127.5);
    }

    @Test
    void configIsTheFluxLayout() {
        VaeConfig c = vae.config();
        assertEquals(16, c.latentChannels());
        assertEquals(8, c.spatialFactor());
        assertEquals(0.5663228034973145, c.scalingFactor(), 0);
        assertEquals(0.014939877204596996, c.shiftFactor(), 0);
        assertTrue(!c.useQuantConv() && !c.usePostQuantConv() && c.midBlockAddAttention());
    }

    @Test
    void reconstructsTheTestImage() throws IOException {
        try (Tensor image = readImage(TestData.demoModel().resolve("samples/test_0.png"))) {
            long t0 = System.nanoTime();
            Tensor recon;
            try (LatentDistribution d = vae.encode(image);
                 Tensor mode = d.mode()) {
                long t1 = System.nanoTime();
                assertArrayEquals(new long[] {1, 16, 8, 8}, mode.shape());
                // the pipeline path: diffusion latent = (z − shift)·scale, decoded as latent/scale + shift
                try (Tensor latent = vae.toLatent(mode); Tensor z = vae.fromLatent(latent)) {
                    long t2 = System.nanoTime();
                    recon = vae.decode(z);
                    long t3 = System.nanoTime();
                    System.out.printf("demo VAE 64x64: encode %.1f ms, decode %.1f ms%n", (t1 - t0) / 1e6, (t3 - t2) / 1e6);
                }
            }
            try (Tensor r = recon) {
                assertArrayEquals(image.shape(), r.shape());
                double psnr = psnrUint8(image, r);
                System.out.printf("demo VAE test_0.png reconstruction PSNR %.2f dB%n", psnr);
                assertTrue(psnr > 22, "PSNR " + psnr + " dB");
            }
        }
    }
}

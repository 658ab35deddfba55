package io.jmmdit.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.testutil.TestData;
import io.jmmdit.weights.SafeTensorsFile;

class LatentsTest {

    /** latent[b, c, y, x] = 1000b + 100c + 10y + x: every element names its own position. */
    private static Tensor labelled(int b, int c, int h, int w) {
        float[] f = new float[b * c * h * w];
        int i = 0;
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        f[i++] = 1000 * bi + 100 * ci + 10 * y + x;
                    }
                }
            }
        }
        return Tensor.of(f, b, c, h, w);
    }

    @Test
    void packFollowsTheIndexFormulaByHand() {
        // C = 2, H = 4, W = 6: grid 2x3, 6 tokens of 8 channels
        Tensor p = Latents.pack(labelled(1, 2, 4, 6));
        assertArrayEquals(new long[] {1, 6, 8}, p.shape());
        // token 0 = patch (row 0, col 0); channel c*4 + dy*2 + dx = latent[c, dy, dx]
        assertArrayEquals(new float[] {0, 1, 10, 11, 100, 101, 110, 111}, p.slice(1, 0, 1).toFloatArray(), 0f);
        // token 5 = row 1, col 2 → latent rows 2..3, columns 4..5
        assertArrayEquals(new float[] {24, 25, 34, 35, 124, 125, 134, 135}, p.slice(1, 5, 6).toFloatArray(), 0f);
        // token 1*3 + 0 = 3, channel 1*4 + 1*2 + 0 = 6 → latent[c=1, y=3, x=0]
        assertEquals(130f, p.get(0, 3, 6), 0f);
    }

    @Test
    void packEveryElementWithBatch() {
        int b = 2, c = 3, h = 4, w = 6;
        Tensor p = Latents.pack(labelled(b, c, h, w));
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int token = (y / 2) * (w / 2) + x / 2;
                        int ch = ci * 4 + (y % 2) * 2 + x % 2;
                        assertEquals(1000 * bi + 100 * ci + 10 * y + x, p.get(bi, token, ch), 0f);
                    }
                }
            }
        }
    }

    @Test
    void unpackInvertsPack() {
        Tensor x = labelled(2, 3, 6, 4);
        Tensor round = Latents.unpack(Latents.pack(x), 6, 4);
        assertArrayEquals(x.shape(), round.shape());
        assertArrayEquals(x.toFloatArray(), round.toFloatArray(), 0f);
        Tensor packed = Latents.pack(x);
        assertArrayEquals(packed.toFloatArray(), Latents.pack(Latents.unpack(packed, 6, 4)).toFloatArray(), 0f);
    }

    @Test
    void matchesDiffusersFluxPipelineCaseA() {
        // golden/flux-pipeline case-a: latents_initial = FluxPipeline._pack_latents(noise_unpacked); img_ids, txt_ids as built
        try (SafeTensorsFile g = SafeTensorsFile.open(TestData.golden("flux-pipeline/case-a.safetensors"))) {
            Tensor noise = Tensor.of(g.tensor("noise_unpacked").toFloatArray(), g.info("noise_unpacked").shape());
            float[] packed = g.tensor("latents_initial").toFloatArray();
            assertArrayEquals(g.info("latents_initial").shape(), Latents.pack(noise).shape());
            assertArrayEquals(packed, Latents.pack(noise).toFloatArray(), 0f);
            assertArrayEquals(g.tensor("noise_unpacked").toFloatArray(), Latents.unpack(Tensor.of(packed, 1, 256, 64), 32, 32).toFloatArray(), 0f);
            assertArrayEquals(g.tensor("img_ids").toFloatArray(), Latents.imageIds(16, 16).toFloatArray(), 0f);
            assertArrayEquals(g.info("img_ids").shape(), Latents.imageIds(16, 16).shape());
            assertArrayEquals(g.tensor("txt_ids").toFloatArray(), Latents.textIds(7).toFloatArray(), 0f);
            assertArrayEquals(g.info("txt_ids").shape(), Latents.textIds(7).shape());
        }
    }

    @Test
    void idsByHand() {
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 1, 1, 0, 1, 2}, Latents.imageIds(2, 3).toFloatArray(), 0f);
        assertArrayEquals(new long[] {6, 3}, Latents.imageIds(2, 3).shape());
        assertArrayEquals(new long[] {4, 3}, Latents.textIds(4).shape());
        assertEquals(0.0, Latents.textIds(4).maxAbs(), 0.0);
    }

    @Test
    void errorsNameTheExpectedShape() {
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> Latents.pack(Tensor.zeros(1, 16, 5, 4)));
        assertTrue(odd.getMessage().contains("[B, C, H, W]") && odd.getMessage().contains("[1, 16, 5, 4]"), odd.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Latents.pack(Tensor.zeros(16, 4, 4)));
        IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class, () -> Latents.unpack(Tensor.zeros(1, 15, 64), 8, 8));
        assertTrue(tokens.getMessage().contains("[B, 16, 4C]") && tokens.getMessage().contains("[1, 15, 64]"), tokens.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Latents.unpack(Tensor.zeros(1, 16, 63), 8, 8));
        assertThrows(IllegalArgumentException.class, () -> Latents.unpack(Tensor.zeros(1, 16, 64), 7, 8));
        assertThrows(IllegalArgumentException.class, () -> Latents.imageIds(0, 3));
    }
}

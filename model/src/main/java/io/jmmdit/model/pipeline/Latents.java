package io.jmmdit.model.pipeline;

import io.jmmdit.engine.Tensor;

/**
 * FLUX latent packing (diffusers FluxPipeline {@code _pack_latents} / {@code _unpack_latents} /
 * {@code _prepare_latent_image_ids}): a VAE latent [B, C, H, W] becomes a token sequence [B, (H/2)(W/2), 4C] of 2×2
 * patches. Token {@code row·(W/2) + col} holds the patch at rows 2·row..2·row+1, columns 2·col..2·col+1, and its
 * channel {@code c·4 + dy·2 + dx} is latent[c, 2·row + dy, 2·col + dx].
 */
public final class Latents {

    private Latents() {
    }

    /** [B, C, H, W] (H, W even) → [B, (H/2)(W/2), 4C]. */
    public static Tensor pack(Tensor latents) {
        long[] s = latents.shape();
        if (s.length != 4 || s[2] % 2 != 0 || s[3] % 2 != 0) {
            throw new IllegalArgumentException("pack expects latents [B, C, H, W] with even H and W, got " + latents.shapeString());
        }
        long b = s[0];
        long c = s[1];
        long h2 = s[2] / 2;
        long w2 = s[3] / 2;
        // view (B, C, H/2, 2, W/2, 2) → permute (B, H/2, W/2, C, 2, 2) → (B, tokens, C·4)
        return latents.reshape(b, c, h2, 2, w2, 2).permute(0, 2, 4, 1, 3, 5).reshape(b, h2 * w2, c * 4);
    }

    /**
     * Inverse of {@link #pack}: [B, (H/2)(W/2), 4C] → [B, C, H, W], where H and W are the LATENT height and width
     * (diffusers' {@code _unpack_latents} takes pixel sizes and the VAE scale factor instead: H = 2·(pixelH / (2·vae_scale))).
     */
    public static Tensor unpack(Tensor packed, long height, long width) {
        long[] s = packed.shape();
        if (height <= 0 || width <= 0 || height % 2 != 0 || width % 2 != 0) {
            throw new IllegalArgumentException("unpack needs positive even latent height and width, got " + height + "x" + width);
        }
        long h2 = height / 2;
        long w2 = width / 2;
        if (s.length != 3 || s[1] != h2 * w2 || s[2] % 4 != 0) {
            throw new IllegalArgumentException("unpack expects packed latents [B, " + h2 * w2 + ", 4C] for a " + height + "x" + width
                    + " latent, got " + packed.shapeString());
        }
        long b = s[0];
        long c = s[2] / 4;
        // view (B, H/2, W/2, C, 2, 2) → permute (B, C, H/2, 2, W/2, 2) → (B, C, H, W)
        return packed.reshape(b, h2, w2, c, 2, 2).permute(0, 3, 1, 4, 2, 5).reshape(b, c, height, width);
    }

    /** Image position ids [h2·w2, 3]: row {@code row·w2 + col} is (0, row, col), as float. */
    public static Tensor imageIds(int h2, int w2) {
        if (h2 <= 0 || w2 <= 0) {
            throw new IllegalArgumentException("imageIds needs a positive packed grid, got " + h2 + "x" + w2);
        }
        float[] ids = new float[Math.multiplyExact(Math.multiplyExact(h2, w2), 3)];
        for (int r = 0; r < h2; r++) {
            for (int c = 0; c < w2; c++) {
                int t = r * w2 + c;
                ids[3 * t + 1] = r;
                ids[3 * t + 2] = c;
            }
        }
        return Tensor.of(ids, (long) h2 * w2, 3);
    }

    /** Text position ids: zeros [n, 3]. */
    public static Tensor textIds(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("textIds needs a positive token count, got " + n);
        }
        return Tensor.zeros(n, 3);
    }
}

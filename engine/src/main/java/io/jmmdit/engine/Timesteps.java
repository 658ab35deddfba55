package io.jmmdit.engine;

/**
 * Sinusoidal timestep embeddings (diffusers get_timestep_embedding), computed in float32 as diffusers does:
 * f_i = exp(−ln(maxPeriod)·i/(half − shift)), argument t·f_i, output [sin | cos] or, flipped, [cos | sin].
 */
public final class Timesteps {

    private Timesteps() {
    }

    /**
     * @param t                  timesteps [N] (already scaled, e.g. σ·1000)
     * @param dim                embedding size
     * @param flipSinToCos       put cos first
     * @param downscaleFreqShift the shift in (half − shift)
     * @param scale              multiplies the argument
     * @param maxPeriod          usually 10000
     * @return [N, dim]
     */
    public static Tensor sinusoid(float[] t, int dim, boolean flipSinToCos, float downscaleFreqShift, float scale, int maxPeriod) {
        int half = dim / 2;
        float[] freq = new float[half];
        float lnMax = (float) -Math.log(maxPeriod);
        for (int i = 0; i < half; i++) {
            float exponent = (lnMax * (float) i) / ((float) half - downscaleFreqShift);
            freq[i] = (float) Math.exp(exponent);
        }
        float[] out = new float[t.length * dim];
        for (int n = 0; n < t.length; n++) {
            for (int i = 0; i < half; i++) {
                float arg = scale * (t[n] * freq[i]);
                float s = (float) Math.sin(arg);
                float c = (float) Math.cos(arg);
                int base = n * dim;
                out[base + (flipSinToCos ? half + i : i)] = s;
                out[base + (flipSinToCos ? i : half + i)] = c;
            }
        }
        return Tensor.of(out, t.length, dim);
    }
}

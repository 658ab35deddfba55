package io.jmmdit.model.scheduler;

import java.util.OptionalDouble;

/**
 * diffusers' {@code FlowMatchEulerDiscreteScheduler} (v0.32) reproduced to the float32 bit: builds the {@link Schedule}
 * that FluxPipeline and StableDiffusion3Pipeline sample with. Stateless; {@link Schedule#step} does the Euler update.
 *
 * <p>Rounding follows diffusers exactly, because the sigmas reach the model as float32:
 * <ul>
 * <li>explicit sigmas ({@link #setSigmas}, FluxPipeline): cast to float32 first, then shifted in float32 arithmetic
 *     (numpy float32 array with Python-float scalars, diffusers ≥ 0.32 / PR #10088);</li>
 * <li>no sigmas ({@link #setTimesteps}, StableDiffusion3Pipeline): {@code linspace(sigma_max·T, sigma_min·T, n)/T}
 *     in float64 from the constructor's float32 sigma range, shifted in float64, then cast to float32. With a static
 *     shift the constructor has already shifted that range, so the shift is in effect applied twice (as in diffusers).</li>
 * </ul>
 * Then {@code timesteps = sigmas·T} (float32 multiply) and a terminal sigma 0 is appended.
 */
public final class FlowMatchEulerScheduler {

    private final SchedulerConfig config;
    private final double sigmaMin;
    private final double sigmaMax;

    public FlowMatchEulerScheduler(SchedulerConfig config) {
        this.config = config;
        // diffusers __init__: timesteps 1..T (float32), sigmas = timesteps / T in float32, statically shifted unless
        // dynamic shifting is on; sigma_max / sigma_min are the float32 end values read back as Python floats.
        int t = config.numTrainTimesteps();
        this.sigmaMax = constructorSigma(t, t);
        this.sigmaMin = constructorSigma(1, t);
    }

    public SchedulerConfig config() {
        return config;
    }

    /**
     * FluxPipeline.__call__: {@code sigmas = linspace(1, 1/n, n)},
     * {@code mu = calculate_shift(imageSeqLen, …config…)} (used only with dynamic shifting), then {@link #setSigmas}.
     *
     * @param imageSeqLen number of packed image tokens, (H/16)·(W/16) for FLUX.1 at H×W pixels
     */
    public Schedule fluxSchedule(int numInferenceSteps, long imageSeqLen) {
        return setSigmas(fluxInitialSigmas(numInferenceSteps), OptionalDouble.of(mu(imageSeqLen)));
    }

    /** {@code calculate_shift} with this config's base/max sequence lengths and shifts (FluxPipeline passes them). */
    public double mu(long imageSeqLen) {
        return calculateShift(imageSeqLen, config.baseImageSeqLen(), config.maxImageSeqLen(), config.baseShift(), config.maxShift());
    }

    /**
     * diffusers pipeline_flux.calculate_shift: the line through (baseSeqLen, baseShift) and (maxSeqLen, maxShift)
     * evaluated at {@code imageSeqLen}, in float64 and NOT clamped (it extrapolates beyond maxSeqLen).
     */
    public static double calculateShift(long imageSeqLen, long baseSeqLen, long maxSeqLen, double baseShift, double maxShift) {
        if (baseSeqLen == maxSeqLen) {
            throw new IllegalArgumentException("calculate_shift needs baseSeqLen != maxSeqLen, both are " + baseSeqLen);
        }
        double m = (maxShift - baseShift) / (double) (maxSeqLen - baseSeqLen);
        double b = baseShift - m * baseSeqLen;
        return imageSeqLen * m + b;
    }

    /**
     * FluxPipeline's initial sigmas {@code np.linspace(1.0, 1/n, n)} in float64 (numpy's formula: {@code i·step + start}
     * with the last element set to the end point exactly).
     */
    public static double[] fluxInitialSigmas(int n) {
        return linspace(1.0, 1.0 / n, n);
    }

    /**
     * diffusers set_timesteps(sigmas=…, mu=…): the given sigmas are cast to float32, then shifted — with dynamic
     * shifting by {@code time_shift(mu, 1, s) = e^mu / (e^mu + (1/s − 1))}, otherwise by
     * {@code shift·s / (1 + (shift−1)·s)} — in float32 arithmetic.
     *
     * @param mu required when the config uses dynamic shifting, ignored otherwise (as diffusers ignores it)
     */
    public Schedule setSigmas(double[] sigmas, OptionalDouble mu) {
        if (sigmas.length == 0) {
            throw new IllegalArgumentException("setSigmas: sigmas must not be empty");
        }
        float[] s = new float[sigmas.length];
        if (config.useDynamicShifting()) {
            float e = (float) Math.exp(requireMu(mu));
            for (int i = 0; i < s.length; i++) {
                float si = (float) sigmas[i];
                s[i] = e / (e + (1f / si - 1f));
            }
        } else {
            float shift = (float) config.shift();
            float shiftMinus1 = (float) (config.shift() - 1);
            for (int i = 0; i < s.length; i++) {
                float si = (float) sigmas[i];
                s[i] = shift * si / (1f + shiftMinus1 * si);
            }
        }
        return finish(s);
    }

    /**
     * diffusers set_timesteps(num_inference_steps, mu=…) without explicit sigmas, as StableDiffusion3Pipeline calls it:
     * {@code linspace(sigma_max·T, sigma_min·T, n) / T}, shifted in float64, then cast to float32.
     *
     * @param mu required when the config uses dynamic shifting, ignored otherwise
     */
    public Schedule setTimesteps(int numInferenceSteps, OptionalDouble mu) {
        int t = config.numTrainTimesteps();
        double[] u = linspace(sigmaMax * t, sigmaMin * t, numInferenceSteps);
        float[] s = new float[u.length];
        if (config.useDynamicShifting()) {
            double e = Math.exp(requireMu(mu));
            for (int i = 0; i < s.length; i++) {
                double ui = u[i] / t;
                s[i] = (float) (e / (e + (1 / ui - 1)));
            }
        } else {
            double shift = config.shift();
            for (int i = 0; i < s.length; i++) {
                double ui = u[i] / t;
                s[i] = (float) (shift * ui / (1 + (shift - 1) * ui));
            }
        }
        return finish(s);
    }

    /** timesteps = sigmas·T in float32; sigmas get the terminal 0 (diffusers, invert_sigmas false). */
    private Schedule finish(float[] s) {
        float t = config.numTrainTimesteps();
        float[] timesteps = new float[s.length];
        float[] sigmas = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            timesteps[i] = s[i] * t;
            sigmas[i] = s[i];
        }
        return new Schedule(sigmas, timesteps);
    }

    private double requireMu(OptionalDouble mu) {
        if (mu.isEmpty()) {
            throw new IllegalArgumentException("the scheduler config uses dynamic shifting: pass mu (calculate_shift of the image sequence length)");
        }
        return mu.getAsDouble();
    }

    /** One sigma of the diffusers constructor table, for training timestep k in 1..T, in float32. */
    private float constructorSigma(int k, int t) {
        float s = (float) k / (float) t;
        if (config.useDynamicShifting()) {
            return s;
        }
        float shift = (float) config.shift();
        return shift * s / (1f + (float) (config.shift() - 1) * s);
    }

    /** numpy.linspace(start, stop, n) with endpoint, float64. */
    private static double[] linspace(double start, double stop, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("number of inference steps must be positive, got " + n);
        }
        double[] y = new double[n];
        if (n == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (n - 1);
        for (int i = 0; i < n; i++) {
            y[i] = i * step + start;
        }
        y[n - 1] = stop;
        return y;
    }
}

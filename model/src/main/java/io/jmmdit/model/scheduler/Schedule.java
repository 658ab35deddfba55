package io.jmmdit.model.scheduler;

import java.util.Arrays;

import io.jmmdit.engine.Tensor;

/**
 * A sampling schedule as diffusers' FlowMatchEulerDiscreteScheduler holds it after {@code set_timesteps}: {@code n}
 * float32 timesteps and {@code n + 1} float32 sigmas, decreasing from pure noise (index 0) to the terminal sigma 0
 * (index n). The model is evaluated at {@code timestep(i) = 1000·sigma(i)} (FLUX passes {@code timestep(i)/1000} to its
 * transformer) and {@link #step} moves the latent from sigma(i) to sigma(i+1). Immutable.
 */
public final class Schedule {

    private final float[] sigmas;
    private final float[] timesteps;

    /**
     * @param sigmas    n + 1 sigmas including the appended terminal value
     * @param timesteps n timesteps, the model's time argument at each step
     */
    public Schedule(float[] sigmas, float[] timesteps) {
        if (sigmas.length != timesteps.length + 1) {
            throw new IllegalArgumentException("a schedule needs n + 1 sigmas for n timesteps, got " + sigmas.length + " sigmas and " + timesteps.length + " timesteps");
        }
        if (timesteps.length == 0) {
            throw new IllegalArgumentException("a schedule needs at least one step");
        }
        this.sigmas = sigmas.clone();
        this.timesteps = timesteps.clone();
    }

    /** Number of model evaluations (n). */
    public int numSteps() {
        return timesteps.length;
    }

    /** Sigma {@code i} for 0 ≤ i ≤ n (sigma(n) is the terminal 0). */
    public float sigma(int i) {
        return sigmas[i];
    }

    /** Timestep {@code i} for 0 ≤ i &lt; n (diffusers {@code scheduler.timesteps[i]}, in [0, 1000]). */
    public float timestep(int i) {
        return timesteps[i];
    }

    /** A copy of the n + 1 sigmas. */
    public float[] sigmas() {
        return sigmas.clone();
    }

    /** A copy of the n timesteps. */
    public float[] timesteps() {
        return timesteps.clone();
    }

    /**
     * One Euler step from sigma(i) to sigma(i+1): {@code sample + (sigma(i+1) − sigma(i)) · modelOutput}, as diffusers
     * FlowMatchEulerDiscreteScheduler.step computes it in float32 (the sigma difference rounded to float32 first, then one
     * float32 multiply and one float32 add per element, no fused multiply-add). Returns a new tensor.
     */
    public Tensor step(int i, Tensor modelOutput, Tensor sample) {
        if (i < 0 || i >= timesteps.length) {
            throw new IndexOutOfBoundsException("step index " + i + " outside [0, " + timesteps.length + ")");
        }
        if (!Arrays.equals(modelOutput.shape(), sample.shape())) {
            throw new IllegalArgumentException("step: model output " + modelOutput.shapeString() + " must have the sample's shape " + sample.shapeString());
        }
        float dt = sigmas[i + 1] - sigmas[i];
        float[] x = sample.toFloatArray();
        float[] v = modelOutput.toFloatArray();
        for (int k = 0; k < x.length; k++) {
            float dv = dt * v[k];
            x[k] = x[k] + dv;
        }
        return Tensor.of(x, sample.shape());
    }

    @Override
    public String toString() {
        return "Schedule[" + timesteps.length + " steps, sigmas " + Arrays.toString(sigmas) + "]";
    }
}

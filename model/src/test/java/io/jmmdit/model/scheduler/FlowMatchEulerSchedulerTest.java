package io.jmmdit.model.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.testutil.TestData;
import io.jmmdit.weights.SafeTensorsFile;

/**
 * Against diffusers v0.32.2 golden data (test copies of golden/flux-scheduler and golden/sd3-scheduler). Tolerances:
 * flux-scheduler README 2.5e-7 (sigmas) / 2.5e-4 (timesteps) absolute, sd3-scheduler README bitwise; we reach bitwise
 * equality everywhere and assert it, which is stricter than both (and than 1e-6).
 */
class FlowMatchEulerSchedulerTest {

    private static final String FLUX = "flux-scheduler/";
    private static final String SD3 = "sd3-scheduler/";

    private static SchedulerConfig config(String resource) throws IOException {
        return SchedulerConfig.fromJson(TestData.golden(resource));
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) array.get(i).asDouble(); // shortest decimal of a float32 value: exact after the cast
        }
        return f;
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length, "length");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    private static void checkFluxCases(String variant, String configFile) throws IOException {
        JsonNode golden = TestData.json(FLUX + "sigmas.json").get(variant);
        FlowMatchEulerScheduler scheduler = new FlowMatchEulerScheduler(config(FLUX + configFile));
        double maxSigma = 0;
        double maxTimestep = 0;
        for (JsonNode c : golden.get("cases")) {
            String name = variant + " " + c.get("height") + "x" + c.get("width") + " n=" + c.get("num_inference_steps");
            int n = c.get("num_inference_steps").asInt();
            long seqLen = (c.get("height").asLong() / 16) * (c.get("width").asLong() / 16);
            assertEquals(c.get("image_seq_len").asLong(), seqLen, name);
            assertEquals(c.get("mu").asDouble(), scheduler.mu(seqLen), 1e-15, name + " mu");
            assertArrayEquals(doubles(c.get("initial_sigmas")), FlowMatchEulerScheduler.fluxInitialSigmas(n), name + " initial sigmas");

            Schedule s = scheduler.fluxSchedule(n, seqLen);
            float[] wantSigmas = floats(c.get("sigmas"));
            float[] wantTimesteps = floats(c.get("timesteps"));
            double es = maxAbsDiff(s.sigmas(), wantSigmas);
            double et = maxAbsDiff(s.timesteps(), wantTimesteps);
            maxSigma = Math.max(maxSigma, es);
            maxTimestep = Math.max(maxTimestep, et);
            assertTrue(es <= 2.5e-7 && et <= 2.5e-4, name + ": sigma error " + es + ", timestep error " + et);
            assertArrayEquals(wantSigmas, s.sigmas(), 0f, name + " sigmas bitwise");
            assertArrayEquals(wantTimesteps, s.timesteps(), 0f, name + " timesteps bitwise");
            assertEquals(1f, s.sigma(0), 0f, name + " sigma_0 is exactly 1");
            assertEquals(0f, s.sigma(n), 0f, name + " terminal sigma");
        }
        System.out.printf("flux %s: %d cases, max |sigma err| %.3g, max |timestep err| %.3g%n", variant, golden.get("cases").size(), maxSigma, maxTimestep);
    }

    @Test
    void fluxDevSchedulesMatchDiffusers() throws IOException {
        checkFluxCases("dev", "scheduler_config.dev.json");
    }

    @Test
    void fluxSchnellSchedulesMatchDiffusers() throws IOException {
        checkFluxCases("schnell", "scheduler_config.schnell.json");
    }

    @Test
    void fluxStepExampleMatchesDiffusers() throws IOException {
        JsonNode ex = TestData.json(FLUX + "sigmas.json").get("step_example");
        FlowMatchEulerScheduler scheduler = new FlowMatchEulerScheduler(config(FLUX + "scheduler_config.dev.json"));
        long seqLen = (ex.get("height").asLong() / 16) * (ex.get("width").asLong() / 16);
        Schedule s = scheduler.fluxSchedule(ex.get("num_inference_steps").asInt(), seqLen);
        int i = ex.get("step_index").asInt();
        assertEquals((float) ex.get("sigma").asDouble(), s.sigma(i), 0f);
        assertEquals((float) ex.get("sigma_next").asDouble(), s.sigma(i + 1), 0f);
        assertEquals((float) ex.get("timestep").asDouble(), s.timestep(i), 0f);

        long[] shape = new long[ex.get("shape").size()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = ex.get("shape").get(d).asLong();
        }
        Tensor sample = Tensor.of(floats(ex.get("sample")), shape);
        Tensor v = Tensor.of(floats(ex.get("model_output")), shape);
        float[] got = s.step(i, v, sample).toFloatArray();
        float[] want = floats(ex.get("prev_sample"));
        double err = maxAbsDiff(got, want);
        System.out.printf("flux step example: max |err| %.3g%n", err);
        assertArrayEquals(want, got, 0f, "float32 Euler step, bitwise");
    }

    @Test
    void sd3SchedulesMatchDiffusersBitwise() throws IOException {
        SchedulerConfig cfg = config(SD3 + "scheduler_config.json");
        assertEquals(new SchedulerConfig(1000, 3.0, false, 0.5, 1.15, 256, 4096), cfg);
        FlowMatchEulerScheduler scheduler = new FlowMatchEulerScheduler(cfg);
        try (SafeTensorsFile g = SafeTensorsFile.open(TestData.golden(SD3 + "sd35-large-schedules.safetensors"))) {
            for (int n : new int[] {28, 30, 50}) {
                Schedule s = scheduler.setTimesteps(n, OptionalDouble.empty());
                assertArrayEquals(g.tensor("sigmas_" + n).toFloatArray(), s.sigmas(), 0f, "sigmas_" + n);
                assertArrayEquals(g.tensor("timesteps_" + n).toFloatArray(), s.timesteps(), 0f, "timesteps_" + n);
                // README: the shift is applied twice, so the last non-zero sigma is 1/112 for every n
                assertEquals((float) (0.009 / 1.008), s.sigma(n - 1), 0f);
            }
            for (String ex : new String[] {"28_0", "28_13", "28_27", "30_5"}) {
                int n = Integer.parseInt(ex.split("_")[0]);
                int i = Integer.parseInt(ex.split("_")[1]);
                long[] shape = g.info("step_" + ex + ".sample").shape();
                Tensor sample = Tensor.of(g.tensor("step_" + ex + ".sample").toFloatArray(), shape);
                Tensor v = Tensor.of(g.tensor("step_" + ex + ".model_output").toFloatArray(), shape);
                float[] got = scheduler.setTimesteps(n, OptionalDouble.empty()).step(i, v, sample).toFloatArray();
                assertArrayEquals(g.tensor("step_" + ex + ".prev_sample").toFloatArray(), got, 0f, "step_" + ex);
            }
        }
    }

    @Test
    void sd3ScheduleStartsAsDocumented() throws IOException {
        Schedule s = new FlowMatchEulerScheduler(config(SD3 + "scheduler_config.json")).setTimesteps(28, OptionalDouble.empty());
        // sd3-scheduler README item 3
        assertEquals(1000.0f, s.timestep(0), 0f);
        assertEquals(987.3806f, s.timestep(1), 1e-4f);
        assertEquals(974.1077f, s.timestep(2), 1e-4f);
        assertEquals(8.928572f, s.timestep(27), 1e-6f);
    }

    @Test
    void calculateShiftIsLinearAndUnclamped() {
        assertEquals(0.5, FlowMatchEulerScheduler.calculateShift(256, 256, 4096, 0.5, 1.15), 1e-15);
        assertEquals(1.15, FlowMatchEulerScheduler.calculateShift(4096, 256, 4096, 0.5, 1.15), 1e-15);
        // 8192 tokens extrapolates beyond max_shift: 0.5 + (8192-256)*0.65/3840
        assertEquals(0.5 + 7936 * 0.65 / 3840, FlowMatchEulerScheduler.calculateShift(8192, 256, 4096, 0.5, 1.15), 1e-12);
        assertTrue(FlowMatchEulerScheduler.calculateShift(16, 256, 4096, 0.5, 1.15) < 0.5, "below base_image_seq_len too");
    }

    @Test
    void dynamicShiftingNeedsMu() throws IOException {
        FlowMatchEulerScheduler dev = new FlowMatchEulerScheduler(config(FLUX + "scheduler_config.dev.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dev.setSigmas(FlowMatchEulerScheduler.fluxInitialSigmas(4), OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("mu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dev.setTimesteps(4, OptionalDouble.empty()));
    }

    @Test
    void staticShiftIgnoresMuAndShiftOneKeepsSigmas() throws IOException {
        FlowMatchEulerScheduler schnell = new FlowMatchEulerScheduler(config(FLUX + "scheduler_config.schnell.json"));
        Schedule a = schnell.setSigmas(FlowMatchEulerScheduler.fluxInitialSigmas(8), OptionalDouble.of(0.5));
        Schedule b = schnell.setSigmas(FlowMatchEulerScheduler.fluxInitialSigmas(8), OptionalDouble.of(3.0));
        assertArrayEquals(a.sigmas(), b.sigmas(), 0f);
        assertEquals(1f - 1f / 8 * 3, a.sigma(3), 1e-7f);
        assertEquals(0f, a.sigma(8), 0f);
    }

    @Test
    void stepChecksShapesAndIndex() throws IOException {
        Schedule s = new FlowMatchEulerScheduler(config(FLUX + "scheduler_config.schnell.json")).fluxSchedule(2, 16);
        Tensor x = Tensor.zeros(1, 4, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.step(0, Tensor.zeros(1, 4, 7), x));
        assertTrue(e.getMessage().contains("[1, 4, 7]") && e.getMessage().contains("[1, 4, 8]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> s.step(2, x, x));
        // x + (0.5 - 1) * 2 = -1
        assertArrayEquals(new float[] {-1f, -1f}, s.step(0, Tensor.full(2f, 2), Tensor.zeros(2)).toFloatArray(), 0f);
    }

    @Test
    void readsFullDiffusersAndDemoConfigs() throws IOException {
        SchedulerConfig pipeline = config("flux-pipeline/scheduler_config.json");
        assertEquals(new SchedulerConfig(1000, 3.0, true, 0.5, 1.15, 256, 4096), pipeline);
        SchedulerConfig demo = SchedulerConfig.fromJson(TestData.demoModel().resolve("scheduler/scheduler_config.json"));
        assertEquals(new SchedulerConfig(1000, 1.0, false, 0.5, 1.15, 256, 4096), demo);
    }

    @Test
    void rejectsUnsupportedOptionsNamingSourceAndKey() {
        for (String bad : new String[] {"\"invert_sigmas\": true", "\"shift_terminal\": 0.02", "\"use_karras_sigmas\": true",
                "\"time_shift_type\": \"linear\""}) {
            String json = "{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"shift\": 3.0, " + bad + "}";
            IOException e = assertThrows(IOException.class,
                    () -> SchedulerConfig.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "cfg.json"));
            String key = bad.substring(1, bad.indexOf('"', 1));
            assertTrue(e.getMessage().contains("cfg.json") && e.getMessage().contains(key), e.getMessage());
        }
        IOException wrongClass = assertThrows(IOException.class, () -> SchedulerConfig.fromJson(
                new ByteArrayInputStream("{\"_class_name\": \"EulerDiscreteScheduler\"}".getBytes(StandardCharsets.UTF_8)), "other.json"));
        assertTrue(wrongClass.getMessage().contains("other.json") && wrongClass.getMessage().contains("EulerDiscreteScheduler"));
        IOException badType = assertThrows(IOException.class, () -> SchedulerConfig.fromJson(
                new ByteArrayInputStream("{\"shift\": \"3\"}".getBytes(StandardCharsets.UTF_8)), "t.json"));
        assertTrue(badType.getMessage().contains("shift"), badType.getMessage());
    }
}

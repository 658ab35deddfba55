package io.jmmdit.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;

/** Parity with diffusers 0.32.2 (float64 reference) on the tiny FLUX-like VAE: every tensor ≤ 1e-5 relative. */
class AutoencoderKLParityTest {

    static final double TOL = 1e-5;
    static final List<String> ENCODER_OUTPUTS = List.of("latent_dist_mean", "latent_dist_logvar", "latent_dist_std",
            "encoder_conv_in_out", "encoder_down_0_out", "encoder_down_1_out", "encoder_mid_block_out", "encoder_conv_out_out");
    static final List<String> DECODER_OUTPUTS = List.of("decoded", "decoder_conv_in_out", "decoder_mid_block_out",
            "decoder_up_0_out", "decoder_up_1_out");

    static AutoencoderKL vae;

    static Path resource(String name) {
        try {
            return Path.of(AutoencoderKLParityTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void load() {
        vae = AutoencoderKL.load(resource("golden/vae"));
    }

    @AfterAll
    static void close() {
        vae.close();
    }

    static double relErr(Tensor actual, Tensor golden) {
        assertArrayEquals(golden.shape(), actual.shape(), "shape");
        try (Tensor d = actual.sub(golden)) {
            return d.maxAbs() / golden.maxAbs();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"case-a", "case-b"})
    void everyGoldenTensor(String c) {
        try (SafeTensorsFile g = SafeTensorsFile.open(resource("golden/vae/" + c + ".safetensors"))) {
            Map<String, Tensor> out = vae.trace(Map.of("image", g.tensor("image"), "latent", g.tensor("latent")), n -> true);
            Set<String> expected = new java.util.TreeSet<>(g.names());
            expected.removeAll(Set.of("image", "latent"));
            assertEquals(Set.copyOf(concat(ENCODER_OUTPUTS, DECODER_OUTPUTS)), expected, "README tensor list changed");
            StringBuilder report = new StringBuilder();
            double worst = 0;
            for (String name : expected) {
                assertTrue(out.containsKey(name), "trace did not produce " + name);
                double e = relErr(out.get(name), g.tensor(name));
                report.append(String.format("  %-24s %.3e%n", name, e));
                worst = Math.max(worst, e);
            }
            System.out.printf("VAE %s (max |a-g| / max |g|):%n%s", c, report);
            out.values().forEach(Tensor::close);
            assertTrue(worst <= TOL, c + ": worst error " + worst + " > " + TOL + "\n" + report);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"case-a", "case-b"})
    void publicApiMatchesTrace(String c) {
        try (SafeTensorsFile g = SafeTensorsFile.open(resource("golden/vae/" + c + ".safetensors"));
             LatentDistribution d = vae.encode(g.tensor("image"));
             Tensor mode = d.mode();
             Tensor decoded = vae.decode(g.tensor("latent"));
             Tensor zeros = Tensor.zeros(d.mean().shape());
             Tensor sampleAtZero = d.sample(zeros)) {
            assertTrue(relErr(d.mean(), g.tensor("latent_dist_mean")) <= TOL);
            assertTrue(relErr(d.logvar(), g.tensor("latent_dist_logvar")) <= TOL);
            assertTrue(relErr(mode, g.tensor("latent_dist_mean")) <= TOL);
            assertTrue(relErr(sampleAtZero, g.tensor("latent_dist_mean")) <= TOL);
            assertTrue(relErr(decoded, g.tensor("decoded")) <= TOL);
            // sample = mean + std·ε
            try (Tensor ones = Tensor.ones(d.mean().shape()); Tensor s = d.sample(ones); Tensor expect = g.tensor("latent_dist_mean").add(g.tensor("latent_dist_std"))) {
                assertTrue(relErr(s, expect) <= TOL);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void latentScalingRoundTrip() {
        assertEquals(0.3611, vae.config().scalingFactor(), 0);
        assertEquals(0.1159, vae.config().shiftFactor(), 0);
        assertEquals(2, vae.spatialFactor());
        try (Tensor z = Tensor.of(new float[] {0.1159f, 1.1159f, -2f}, 1, 3, 1, 1);
             Tensor l = vae.toLatent(z);
             Tensor back = vae.fromLatent(l)) {
            assertEquals(0f, l.get(0, 0, 0, 0), 1e-7);
            assertEquals(0.3611f, l.get(0, 1, 0, 0), 1e-6);
            assertEquals((-2 - 0.1159) * 0.3611, l.get(0, 2, 0, 0), 1e-6);
            assertTrue(relErr(back, z) < 1e-6);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

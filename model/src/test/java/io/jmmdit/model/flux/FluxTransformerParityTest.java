package io.jmmdit.model.flux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;

/**
 * Golden parity with diffusers' FluxTransformer2DModel (golden/flux-transformer): the output and every intermediate
 * of case-a (F32 diffusers folder) and case-b (batch 2, 3×5 grid, BF16 Black Forest Labs single file), within the
 * README's tolerances.
 */
class FluxTransformerParityTest {

    static final Set INPUTS = new Set("hidden_states", "encoder_hidden_states", "pooled_projections", "timestep", "guidance", "img_ids", "txt_ids");

    record Set(String... names) {
        boolean has(String n) {
            return java.util.Arrays.asList(names).contains(n);
        }
    }

    static Path golden(String name) {
        try {
            return Path.of(FluxTransformerParityTest.class.getResource("/golden/flux-transformer/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our hook point for a golden tensor name. */
    static String hookName(String golden) {
        Matcher m = Pattern.compile("double_(\\d+)_(.+)").matcher(golden);
        if (m.matches()) {
            String b = "transformer_blocks." + m.group(1) + ".";
            return b + switch (m.group(2)) {
                case "norm1_out" -> "norm1";
                case "norm1_context_out" -> "norm1_context";
                case "attn_out_hidden_states" -> "attn.to_out";
                case "attn_out_encoder_hidden_states" -> "attn.to_add_out";
                case "attn_probs" -> "attn.probs";
                default -> m.group(2);
            };
        }
        m = Pattern.compile("single_(\\d+)_(.+)").matcher(golden);
        if (m.matches()) {
            return "single_transformer_blocks." + m.group(1) + "." + m.group(2);
        }
        return switch (golden) {
            case "x_embedder_out" -> "x_embedder";
            case "context_embedder_out" -> "context_embedder";
            case "timestep_proj" -> "time_text_embed.timestep_proj";
            case "guidance_proj" -> "time_text_embed.guidance_proj";
            case "rope_cos" -> "pos_embed.cos";
            case "rope_sin" -> "pos_embed.sin";
            case "norm_out_out" -> "norm_out";
            default -> golden;
        };
    }

    /** README tolerances: relative to max|golden| except the sinusoids, probabilities and RoPE tables (absolute). */
    static double tolerance(String golden, double maxAbs) {
        return switch (golden) {
            case "timestep_proj", "guidance_proj" -> 5e-4;
            case "rope_cos", "rope_sin" -> 2e-6;
            default -> golden.endsWith("attn_probs") ? 5e-5 : 5e-4 * maxAbs;
        };
    }

    @ParameterizedTest
    @CsvSource({"case-a.safetensors, diffusion_pytorch_model.safetensors", "case-b.safetensors, flux1-original.bf16.safetensors"})
    void everyGoldenTensorMatches(String caseFile, String weightsFile) {
        FluxConfig config = FluxConfig.load(golden("config.json"));
        try (SafeTensorsFile g = SafeTensorsFile.open(golden(caseFile));
             FluxTransformer model = FluxTransformer.load(golden(weightsFile), config, false)) {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (String n : g.names()) {
                if (INPUTS.has(n)) {
                    inputs.put(n, g.tensor(n));
                }
            }
            Map<String, Tensor> out = model.trace(inputs, ".*");
            int compared = 0;
            StringBuilder report = new StringBuilder();
            for (String n : g.names()) {
                if (INPUTS.has(n) || n.endsWith("_pure_f64")) {
                    continue;
                }
                Tensor actual = out.get(hookName(n));
                assertTrue(actual != null, caseFile + ": no hook point for golden tensor " + n + " (looked for " + hookName(n) + ")");
                float[] e = g.tensor(n).toFloatArray();
                float[] a = actual.toFloatArray();
                assertTrue(e.length == a.length, n + ": " + a.length + " values vs golden " + e.length);
                double maxAbs = 0;
                double maxErr = 0;
                for (int i = 0; i < e.length; i++) {
                    maxAbs = Math.max(maxAbs, Math.abs(e[i]));
                    maxErr = Math.max(maxErr, Math.abs(e[i] - a[i]));
                }
                double tol = tolerance(n, maxAbs);
                report.append(String.format("%s %s err %.3g tol %.3g%n", caseFile, n, maxErr, tol));
                assertTrue(maxErr <= tol, caseFile + " " + n + ": max error " + maxErr + " > " + tol);
                compared++;
            }
            System.out.print(report);
            assertTrue(compared >= 20, "compared " + compared);
            inputs.values().forEach(Tensor::close);
            out.values().forEach(Tensor::close);
        }
    }
}

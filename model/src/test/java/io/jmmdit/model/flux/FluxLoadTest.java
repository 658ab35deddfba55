package io.jmmdit.model.flux;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.SafeTensorsWriter;
import io.jmmdit.weights.WeightsException;

/** Loading errors name the tensor, the expected and the found shape, or the names a layout needs. */
class FluxLoadTest {

    @TempDir
    Path dir;

    static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    /** The golden diffusers weights with one tensor replaced ({@code null}: removed). */
    private Path goldenWith(String name, Tensor replacement) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(FluxTransformerParityTest.golden("diffusion_pytorch_model.safetensors"))) {
            for (String n : f.names()) {
                if (!n.equals(name)) {
                    all.put(n, f.tensor(n));
                } else if (replacement != null) {
                    all.put(n, replacement);
                }
            }
        }
        Path p = dir.resolve("weights.safetensors");
        SafeTensorsWriter.write(p, all, Map.of());
        all.values().forEach(Tensor::close);
        return p;
    }

    @Test
    void unknownLayoutListsTheExpectedNames() {
        Path p = dir.resolve("other.safetensors");
        SafeTensorsWriter.write(p, Map.of("encoder.weight", Tensor.zeros(2, 2)), Map.of());
        assertMentions(assertThrows(WeightsException.class, () -> FluxTransformer.load(p)), "x_embedder.weight", "img_in.weight", "other.safetensors");
    }

    @Test
    void shapeDisagreeingWithTheConfigIsNamed() {
        FluxConfig c = FluxConfig.load(FluxTransformerParityTest.golden("config.json"));
        Path p = goldenWith("context_embedder.weight", Tensor.zeros(32, 31));
        assertMentions(assertThrows(WeightsException.class, () -> FluxTransformer.load(p, c, false)),
                "context_embedder.weight", "[32, 31]", "[32, 32]");
    }

    @Test
    void missingTensorIsNamed() {
        FluxConfig c = FluxConfig.load(FluxTransformerParityTest.golden("config.json"));
        Path p = goldenWith("single_transformer_blocks.2.proj_mlp.bias", null);
        assertMentions(assertThrows(WeightsException.class, () -> FluxTransformer.load(p, c, false)), "single_transformer_blocks.2.proj_mlp.bias");
    }

    @Test
    void nonStandardSingleFileAsksForAConfig() {
        Path bfl = FluxTransformerParityTest.golden("flux1-original.bf16.safetensors");
        assertMentions(assertThrows(WeightsException.class, () -> FluxTransformer.load(bfl)), "3072", "--config");
        assertTrue(Files.exists(bfl));
    }
}

package io.jmmdit.model.vae;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.weights.WeightsException;

class VaeLoadErrorsTest {

    static final Path GOLDEN = AutoencoderKLParityTest.resource("golden/vae");

    @Test
    void missingWeightsFileIsNamed(@TempDir Path dir) throws IOException {
        Files.copy(GOLDEN.resolve("config.json"), dir.resolve("config.json"));
        WeightsException e = assertThrows(WeightsException.class, () -> AutoencoderKL.load(dir));
        assertTrue(e.getMessage().contains("diffusion_pytorch_model.safetensors") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void shapeMismatchNamesTensorAndBothShapes(@TempDir Path dir) throws IOException {
        String cfg = Files.readString(GOLDEN.resolve("config.json")).replace("\"latent_channels\": 16", "\"latent_channels\": 8");
        Files.writeString(dir.resolve("config.json"), cfg);
        Files.copy(GOLDEN.resolve("diffusion_pytorch_model.safetensors"), dir.resolve("diffusion_pytorch_model.safetensors"));
        WeightsException e = assertThrows(WeightsException.class, () -> AutoencoderKL.load(dir));
        assertTrue(e.getMessage().contains("'encoder.conv_out.weight' has shape [32, 32, 3, 3], expected [16, 32, 3, 3]"), e.getMessage());
    }

    @Test
    void missingTensorIsNamed(@TempDir Path dir) throws IOException {
        String cfg = Files.readString(GOLDEN.resolve("config.json")).replace("\"use_quant_conv\": false", "\"use_quant_conv\": true");
        Files.writeString(dir.resolve("config.json"), cfg);
        Files.copy(GOLDEN.resolve("diffusion_pytorch_model.safetensors"), dir.resolve("diffusion_pytorch_model.safetensors"));
        WeightsException e = assertThrows(WeightsException.class, () -> AutoencoderKL.load(dir));
        assertTrue(e.getMessage().contains("missing tensor 'quant_conv.weight' (expected shape [32, 32, 1, 1])"), e.getMessage());
    }

    @Test
    void unusedTensorsAreReported(@TempDir Path dir) throws IOException {
        String cfg = Files.readString(GOLDEN.resolve("config.json")).replace("\"mid_block_add_attention\": true", "\"mid_block_add_attention\": false");
        Files.writeString(dir.resolve("config.json"), cfg);
        Files.copy(GOLDEN.resolve("diffusion_pytorch_model.safetensors"), dir.resolve("diffusion_pytorch_model.safetensors"));
        WeightsException e = assertThrows(WeightsException.class, () -> AutoencoderKL.load(dir));
        assertTrue(e.getMessage().contains("not used") && e.getMessage().contains("mid_block.attentions.0"), e.getMessage());
    }
}

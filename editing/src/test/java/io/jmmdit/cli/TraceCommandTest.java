package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.model.testutil.TestData;
import io.jmmdit.weights.SafeTensorsFile;

/** {@code jmmdit trace} reproduces golden outputs from the command line, on both FLUX weight layouts and the VAE. */
class TraceCommandTest {

    @TempDir
    Path dir;

    static double relErr(SafeTensorsFile golden, SafeTensorsFile out, String name, String goldenName) {
        return TestData.relErr(golden.tensor(goldenName).toFloatArray(), out.tensor(name).toFloatArray());
    }

    @Test
    void transformerCaseAOnBothLayouts() {
        Path caseA = TestData.golden("flux-transformer/case-a.safetensors");
        Path folder = TestData.golden("flux-transformer");
        Path o1 = dir.resolve("diffusers.safetensors");
        Path o2 = dir.resolve("bfl.safetensors");
        JmmditTest.Run r1 = JmmditTest.run(Jmmdit.commandLine(), "trace", "--model", folder.toString(), "--inputs", caseA.toString(),
                "--out", o1.toString(), "--capture", "transformer_blocks\\.0\\.attn\\.probs");
        assertEquals(0, r1.code(), r1.err());
        JmmditTest.Run r2 = JmmditTest.run(Jmmdit.commandLine(), "trace", "--model", folder.resolve("flux1-original.bf16.safetensors").toString(),
                "--config", folder.resolve("config.json").toString(), "--inputs", caseA.toString(), "--out", o2.toString());
        assertEquals(0, r2.code(), r2.err());
        try (SafeTensorsFile g = SafeTensorsFile.open(caseA); SafeTensorsFile a = SafeTensorsFile.open(o1); SafeTensorsFile b = SafeTensorsFile.open(o2)) {
            assertTrue(relErr(g, a, "sample", "sample") <= 5e-4);
            assertTrue(a.contains("transformer_blocks.0.attn.probs"));
            assertTrue(relErr(g, a, "transformer_blocks.0.attn.probs", "double_0_attn_probs") < 5e-4);
            // the BFL file holds the same weights rounded to BF16: close to case-a's F32 reference, not equal to it
            double bf16 = relErr(g, b, "sample", "sample");
            assertTrue(bf16 < 0.05, "BF16 weights moved sample by " + bf16);
        }
    }

    /** case-b's reference was computed from the BF16 single file itself: the BFL layout reproduces it exactly. */
    @Test
    void transformerCaseBOnTheBflFile() {
        Path caseB = TestData.golden("flux-transformer/case-b.safetensors");
        Path folder = TestData.golden("flux-transformer");
        Path o = dir.resolve("bfl-b.safetensors");
        JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), "trace", "--model", folder.resolve("flux1-original.bf16.safetensors").toString(),
                "--config", folder.resolve("config.json").toString(), "--inputs", caseB.toString(), "--out", o.toString());
        assertEquals(0, r.code(), r.err());
        try (SafeTensorsFile g = SafeTensorsFile.open(caseB); SafeTensorsFile a = SafeTensorsFile.open(o)) {
            assertTrue(relErr(g, a, "sample", "sample") <= 5e-4);
        }
    }

    @Test
    void vaeEncodesAndDecodes() {
        Path caseA = TestData.golden("vae/case-a.safetensors");
        Path o = dir.resolve("vae.safetensors");
        JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), "trace", "--model", TestData.golden("vae").toString(),
                "--inputs", caseA.toString(), "--out", o.toString());
        assertEquals(0, r.code(), r.err());
        try (SafeTensorsFile g = SafeTensorsFile.open(caseA); SafeTensorsFile a = SafeTensorsFile.open(o)) {
            assertTrue(relErr(g, a, "latent_dist_mean", "latent_dist_mean") <= 1e-5);
            assertTrue(relErr(g, a, "decoded", "decoded") <= 1e-5);
        }
    }

    @Test
    void missingInputTensorIsNamed() {
        Path o = dir.resolve("x.safetensors");
        JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), "trace", "--model", TestData.golden("flux-transformer").toString(),
                "--inputs", TestData.golden("vae/case-a.safetensors").toString(), "--out", o.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("hidden_states"), r.err());
    }

    /** Text encoder folders (recognised by their config's architectures) through the same command. */
    @Test
    void textEncodersWriteTheirOutputs() {
        for (String enc : new String[] {"clip-text", "t5-encoder"}) {
            Path caseA = TestData.golden(enc + "/case-a.safetensors");
            Path o = dir.resolve(enc + ".safetensors");
            JmmditTest.Run r = JmmditTest.run(Jmmdit.commandLine(), "trace", "--model", TestData.golden(enc).toString(),
                    "--inputs", caseA.toString(), "--out", o.toString(), "--capture", "hidden_states\\.1");
            assertEquals(0, r.code(), r.err());
            try (SafeTensorsFile g = SafeTensorsFile.open(caseA); SafeTensorsFile a = SafeTensorsFile.open(o)) {
                assertTrue(relErr(g, a, "last_hidden_state", "last_hidden_state") <= 1e-4, enc);
                assertTrue(relErr(g, a, "hidden_states.1", "hidden_states.1") <= 1e-4, enc);
                if (enc.equals("clip-text")) {
                    assertTrue(relErr(g, a, "pooler_output", "pooler_output") <= 1e-4);
                }
            }
        }
    }
}

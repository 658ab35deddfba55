package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.DType;
import io.jmmdit.weights.SafeTensorsWriter;
import picocli.CommandLine;

class JmmditTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(new CommandLine(new Jmmdit()), args);
    }

    private Path sample() {
        Path p = dir.resolve("m.safetensors");
        SafeTensorsWriter.writeRaw(p, Map.of(
                "a.weight", SafeTensorsWriter.Raw.encode(DType.BF16, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                "b.bias", SafeTensorsWriter.Raw.encode(DType.F32, new long[] {4}, new float[] {1, 2, 3, 4}),
                "c.ids", SafeTensorsWriter.Raw.encode(DType.I64, new long[] {}, new float[] {7})), Map.of("format", "pt"));
        return p;
    }

    @Test
    void helpAndVersion() {
        Run h = run("--help");
        assertEquals(0, h.code);
        assertTrue(h.out.contains("inspect") && h.out.contains("--verbose"), h.out);
        Run v = run("--version");
        assertEquals(0, v.code);
        assertTrue(v.out.startsWith("jmmdit ") && !v.out.contains("unknown") && !v.out.contains("${"), v.out);
        assertEquals(0, run("inspect", "--help").code);
    }

    @Test
    void inspectText() {
        Path p = sample();
        Run r = run("inspect", p.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("3 tensors, 11 parameters, 36 bytes"), r.out);
        assertTrue(r.out.matches("(?s).*a\\.weight\\s+BF16\\s+\\[2, 3\\].*"), r.out);
        assertTrue(r.out.matches("(?s).*c\\.ids\\s+I64\\s+\\[\\].*"), r.out);
        assertTrue(r.out.contains("format: pt"), r.out);
        assertTrue(r.out.matches("(?s).*BF16\\s+6 parameters, 12 bytes.*"), r.out);
        assertEquals("", r.err);
    }

    @Test
    void inspectJson() throws Exception {
        Path p = sample();
        Run r = run("inspect", "--json", p.toString());
        assertEquals(0, r.code, r.err);
        assertEquals(1, r.out.strip().lines().count(), "one JSON object on one line");
        JsonNode j = new ObjectMapper().readTree(r.out);
        assertEquals(11, j.get("parameters").asLong());
        assertEquals(36, j.get("bytes").asLong());
        assertEquals(8, j.at("/dtypes/I64/bytes").asLong());
        assertEquals("pt", j.at("/metadata/format").asText());
        assertEquals("a.weight", j.at("/tensors/0/name").asText());
        assertEquals("[2,3]", j.at("/tensors/0/shape").toString());
    }

    @Test
    void inspectPipelineFolder() throws Exception {
        Path pipe = Files.createDirectories(dir.resolve("pipe/transformer"));
        Files.writeString(dir.resolve("pipe/model_index.json"), "{\"_class_name\":\"FluxPipeline\",\"transformer\":[\"diffusers\",\"X\"],\"vae\":[\"diffusers\",\"AutoencoderKL\"]}");
        SafeTensorsWriter.write(pipe.resolve("diffusion_pytorch_model.safetensors"), Map.of("w", Tensor.of(new float[] {1, 2}, 2)), Map.of());
        Run missing = run("inspect", dir.resolve("pipe").toString());
        assertNotEquals(0, missing.code);
        assertTrue(missing.err.contains("'vae'") && missing.err.contains("missing"), missing.err);
        Files.writeString(dir.resolve("pipe/model_index.json"), "{\"_class_name\":\"FluxPipeline\",\"transformer\":[\"diffusers\",\"X\"]}");
        Run r = run("inspect", "--json", dir.resolve("pipe").toString());
        assertEquals(0, r.code, r.err);
        JsonNode j = new ObjectMapper().readTree(r.out);
        assertEquals("transformer/w", j.at("/tensors/0/name").asText());
        assertEquals("diffusers pipeline FluxPipeline", j.get("kind").asText());
    }

    @Test
    void malformedFileIsOneLineNamingTheFile() throws Exception {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, new byte[] {100, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        Run r = run("inspect", p.toString());
        assertEquals(Jmmdit.EXIT_FAILURE, r.code);
        assertEquals("", r.out);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("jmmdit: " + p) && r.err.contains("header length 100"), r.err);

        Run verbose = run("inspect", p.toString(), "--verbose");
        assertTrue(verbose.err.startsWith("jmmdit: ") && verbose.err.contains("\tat "), verbose.err);
        Run verbose2 = run("--verbose", "inspect", p.toString());
        assertTrue(verbose2.err.contains("\tat "), verbose2.err);

        Run none = run("inspect", dir.resolve("none").toString());
        assertNotEquals(0, none.code);
        assertEquals(1, none.err.lines().count());
        assertTrue(none.err.contains("no such file"), none.err);
    }

    @Test
    void usageErrorsAreOneLineWithTheConfiguredCommandLine() {
        Run r = run(Jmmdit.commandLine(), "inspect", "--bogus", "x");
        assertEquals(Jmmdit.EXIT_USAGE, r.code);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("jmmdit: "), r.err);
        Run bad = run(Jmmdit.commandLine(), "inspect", dir.resolve("none").toString());
        assertEquals(Jmmdit.EXIT_FAILURE, bad.code);
        assertEquals(1, bad.err.lines().count(), bad.err);
    }
}

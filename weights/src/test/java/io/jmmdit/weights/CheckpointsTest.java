package io.jmmdit.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jmmdit.engine.Tensor;

class CheckpointsTest {

    @TempDir
    Path dir;

    static void assertMentions(Throwable e, String... parts) {
        for (String s : parts) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
    }

    private static Tensor t(float... v) {
        return Tensor.of(v, v.length);
    }

    /** Two shards + index: a → shard 1, b and c → shard 2. */
    private Path sharded(Path folder, String base) throws IOException {
        Files.createDirectories(folder);
        SafeTensorsWriter.write(folder.resolve(base + "-00001-of-00002.safetensors"), Map.of("a", t(1, 2)), Map.of("format", "pt"));
        SafeTensorsWriter.write(folder.resolve(base + "-00002-of-00002.safetensors"), Map.of("b", t(3), "c", t(4, 5, 6)), Map.of());
        Path index = folder.resolve(base + ".safetensors.index.json");
        Files.writeString(index, "{\"metadata\":{\"total_size\":24},\"weight_map\":{\"a\":\"" + base + "-00001-of-00002.safetensors\","
                + "\"b\":\"" + base + "-00002-of-00002.safetensors\",\"c\":\"" + base + "-00002-of-00002.safetensors\"}}");
        return index;
    }

    @Test
    void shardedHappyPath() throws IOException {
        Path index = sharded(dir, "model");
        try (WeightSource w = Checkpoints.open(index)) {
            assertInstanceOf(ShardedCheckpoint.class, w);
            assertEquals(List.of("a", "b", "c"), List.copyOf(w.names()));
            assertArrayEquals(new float[] {4, 5, 6}, w.tensor("c").toFloatArray());
            assertArrayEquals(new long[] {2}, w.info("a").shape());
            assertEquals("24", w.metadata().get("total_size"));
            assertEquals(2, ((ShardedCheckpoint) w).shards().size());
            assertMentions(assertThrows(WeightsException.class, () -> w.tensor("zz")), index.toString(), "'zz'");
        }
    }

    @Test
    void shardedErrorsNameTheIndexAndTheShardOrTensor() throws IOException {
        Path index = sharded(dir, "model");
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertMentions(assertThrows(WeightsException.class, () -> ShardedCheckpoint.open(index)), index.toString(),
                "model-00002-of-00002.safetensors", "missing");

        Files.writeString(index, "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"q\":\"model-00001-of-00002.safetensors\"}}");
        assertMentions(assertThrows(WeightsException.class, () -> ShardedCheckpoint.open(index)), index.toString(), "'q'",
                "does not contain");

        Files.writeString(index, "{\"weight_map\":{\"a\":\"../model-00001-of-00002.safetensors\"}}");
        assertMentions(assertThrows(WeightsException.class, () -> ShardedCheckpoint.open(index)), index.toString(), "not a file in");

        Files.writeString(index, "{\"weight_map\":{\"a\":\"x\",\"a\":\"y\"}}");
        assertMentions(assertThrows(WeightsException.class, () -> ShardedCheckpoint.open(index)), index.toString(), "JSON");
        Files.writeString(index, "{\"metadata\":{}}");
        assertMentions(assertThrows(WeightsException.class, () -> ShardedCheckpoint.open(index)), index.toString(), "weight_map");
        Files.writeString(index, "{\"weight_map\":{\"a\":3}}");
        assertMentions(assertThrows(WeightsException.class, () -> ShardedCheckpoint.open(index)), index.toString(), "'a'");

        Files.write(dir.resolve("model-00001-of-00002.safetensors"), new byte[] {1, 2, 3});
        Files.writeString(index, "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\"}}");
        assertMentions(assertThrows(WeightsException.class, () -> ShardedCheckpoint.open(index)), index.toString(),
                "model-00001-of-00002.safetensors", "truncated");
    }

    @Test
    void componentFolders() throws IOException {
        Path single = Files.createDirectories(dir.resolve("vae"));
        SafeTensorsWriter.write(single.resolve("diffusion_pytorch_model.safetensors"), Map.of("w", t(1)), Map.of());
        try (WeightSource w = Checkpoints.open(single)) {
            assertEquals(Set.of("w"), w.names());
        }
        Path shardedFolder = dir.resolve("text_encoder_3");
        sharded(shardedFolder, "model");
        try (WeightSource w = Checkpoints.open(shardedFolder)) {
            assertEquals(3, w.names().size());
        }
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertMentions(assertThrows(WeightsException.class, () -> Checkpoints.open(empty)), empty.toString(), "no weights",
                "diffusion_pytorch_model.safetensors");
        Files.write(empty.resolve("pytorch_model.bin"), new byte[1]);
        assertMentions(assertThrows(WeightsException.class, () -> Checkpoints.open(empty)), ".bin");
        assertMentions(assertThrows(WeightsException.class, () -> Checkpoints.open(dir.resolve("nope"))), "no such file");
    }

    private Path pipeline() throws IOException {
        Path p = Files.createDirectories(dir.resolve("pipe"));
        Files.writeString(p.resolve("model_index.json"), "{\"_class_name\":\"FluxPipeline\",\"_diffusers_version\":\"0.32.2\","
                + "\"scheduler\":[\"diffusers\",\"FlowMatchEulerDiscreteScheduler\"],\"text_encoder\":[null,null],"
                + "\"transformer\":[\"diffusers\",\"FluxTransformer2DModel\"],\"vae\":[\"diffusers\",\"AutoencoderKL\"]}");
        Files.createDirectories(p.resolve("scheduler"));
        Files.writeString(p.resolve("scheduler/scheduler_config.json"), "{}");
        Path tr = Files.createDirectories(p.resolve("transformer"));
        SafeTensorsWriter.write(tr.resolve("diffusion_pytorch_model.safetensors"), Map.of("x_embedder.weight", t(1, 2)), Map.of("format", "pt"));
        Files.writeString(tr.resolve("config.json"), "{}");
        sharded(p.resolve("vae"), "diffusion_pytorch_model");
        Files.writeString(p.resolve("vae/config.json"), "{}");
        return p;
    }

    @Test
    void pipelineFolder() throws IOException {
        Path p = pipeline();
        try (WeightSource w = Checkpoints.open(p)) {
            DiffusersFolder d = assertInstanceOf(DiffusersFolder.class, w);
            assertEquals("FluxPipeline", d.pipelineClass());
            assertEquals(List.of("scheduler", "transformer", "vae"), List.copyOf(d.componentClasses().keySet()));
            assertEquals(List.of("transformer", "vae"), List.copyOf(d.weightComponents()));
            assertEquals(List.of("transformer/x_embedder.weight", "vae/a", "vae/b", "vae/c"), List.copyOf(w.names()));
            assertArrayEquals(new float[] {4, 5, 6}, w.tensor("vae/c").toFloatArray());
            assertEquals("vae/c", w.info("vae/c").name());
            assertEquals("pt", w.metadata().get("transformer/format"));
            assertArrayEquals(new float[] {1, 2}, d.component("transformer").tensor("x_embedder.weight").toFloatArray());
            assertMentions(assertThrows(WeightsException.class, () -> d.component("text_encoder")), "'text_encoder'", "not listed");
            assertMentions(assertThrows(WeightsException.class, () -> d.component("scheduler")), "'scheduler'", "no weights");
            assertMentions(assertThrows(WeightsException.class, () -> w.tensor("vae/zz")), "'vae/zz'");
            assertFalse(w.contains("transformer"));
        }
    }

    @Test
    void pipelineErrorsNameTheComponent() throws IOException {
        Path p = pipeline();
        Files.delete(p.resolve("transformer/diffusion_pytorch_model.safetensors"));
        assertMentions(assertThrows(WeightsException.class, () -> Checkpoints.open(p)), p.toString(), "'transformer'", "no weights");
        Files.delete(p.resolve("transformer/config.json"));
        Files.delete(p.resolve("transformer"));
        assertMentions(assertThrows(WeightsException.class, () -> Checkpoints.open(p)), "'transformer'", "FluxTransformer2DModel", "missing");
        Files.writeString(p.resolve("model_index.json"), "{");
        assertMentions(assertThrows(WeightsException.class, () -> Checkpoints.open(p)), "model_index.json", "JSON");
    }

    @Test
    void prefixViews() throws IOException {
        Path f = dir.resolve("orig.safetensors");
        SafeTensorsWriter.write(f, Map.of("model.diffusion_model.a", t(1), "model.diffusion_model.b", t(2), "vae.c", t(3)), Map.of());
        try (WeightSource w = PrefixedWeightSource.stripping(SafeTensorsFile.open(f), "model.diffusion_model.")) {
            assertEquals(Set.of("a", "b"), w.names());
            assertEquals(2f, w.tensor("b").item());
            assertEquals("b", w.info("b").name());
            assertMentions(assertThrows(WeightsException.class, () -> w.tensor("vae.c")), "'vae.c'", f.toString());
            try (WeightSource again = PrefixedWeightSource.adding(w, "x/")) {
                assertEquals(Set.of("x/a", "x/b"), again.names());
                assertEquals(1f, again.tensor("x/a").item());
            }
        }
    }
}

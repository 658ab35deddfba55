package io.jmmdit.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.jmmdit.engine.Tensor;

/**
 * A checkpoint split over several safetensors files, described by a Hugging Face index
 * ({@code *.safetensors.index.json}: {@code {"metadata": {...}, "weight_map": {tensor: shard file name}}}).
 *
 * <p>{@link #open} validates everything up front: the index JSON (duplicate keys rejected), every shard (opened and its
 * header validated; shard names must be plain file names in the index's folder), and that every tensor in the weight map
 * is in its shard. The weight map is authoritative: {@link #names()} are its keys; tensors a shard holds but the map does
 * not list are ignored. Errors name the index and the shard and/or tensor.
 */
public final class ShardedCheckpoint implements WeightSource {

    private final Path index;
    private final Map<String, SafeTensorsFile> byTensor;
    private final Map<String, SafeTensorsFile> shards;
    private final Map<String, String> metadata;

    private ShardedCheckpoint(Path index, Map<String, SafeTensorsFile> byTensor, Map<String, SafeTensorsFile> shards,
            Map<String, String> metadata) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
        this.metadata = metadata;
    }

    public static ShardedCheckpoint open(Path index) {
        JsonNode root;
        try {
            root = SafeTensorsFile.JSON.readTree(Files.readAllBytes(index));
        } catch (NoSuchFileException e) {
            throw new WeightsException(index + ": no such file", e);
        } catch (JsonProcessingException e) {
            throw new WeightsException(index + ": index is not valid JSON (" + SafeTensorsFile.firstLine(e.getOriginalMessage()) + ")", e);
        } catch (IOException | OutOfMemoryError e) {
            throw new WeightsException(index + ": cannot read (" + e + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightsException(index + ": index is not a JSON object");
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new WeightsException(index + ": index has no \"weight_map\" object");
        }
        Path dir = index.toAbsolutePath().normalize().getParent();
        Map<String, SafeTensorsFile> shards = new TreeMap<>();
        Map<String, SafeTensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new WeightsException(index + ": weight_map entry for tensor '" + tensor + "' is not a file name");
                }
                String shardName = e.getValue().textValue();
                SafeTensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    shard = openShard(index, dir, shardName, tensor);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(tensor)) {
                    throw new WeightsException(index + ": tensor '" + tensor + "' is mapped to shard " + shardName + ", which does not contain it");
                }
                byTensor.put(tensor, shard);
            }
        } catch (RuntimeException | Error e) {
            shards.values().forEach(SafeTensorsFile::close);
            throw e;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        JsonNode m = root.get("metadata");
        if (m != null && m.isObject()) {
            m.fields().forEachRemaining(f -> meta.put(f.getKey(), f.getValue().isTextual() ? f.getValue().textValue() : f.getValue().toString()));
        }
        return new ShardedCheckpoint(index, Collections.unmodifiableMap(byTensor), Collections.unmodifiableMap(shards),
                Collections.unmodifiableMap(meta));
    }

    private static SafeTensorsFile openShard(Path index, Path dir, String shardName, String tensor) {
        Path p;
        try {
            p = dir.resolve(shardName).normalize();
        } catch (RuntimeException e) {
            throw new WeightsException(index + ": shard name '" + shardName + "' (for tensor '" + tensor + "') is not a valid file name", e);
        }
        if (shardName.isEmpty() || !dir.equals(p.getParent())) {
            throw new WeightsException(index + ": shard '" + shardName + "' (for tensor '" + tensor + "') is not a file in " + dir);
        }
        if (!Files.isRegularFile(p)) {
            throw new WeightsException(index + ": shard " + shardName + " (holding tensor '" + tensor + "') is missing");
        }
        try {
            return SafeTensorsFile.open(p);
        } catch (WeightsException e) {
            throw new WeightsException(index + ": shard " + shardName + " is unreadable: " + e.getMessage(), e);
        }
    }

    public Path index() {
        return index;
    }

    /** The shard files, ordered by file name. */
    public List<SafeTensorsFile> shards() {
        return new ArrayList<>(shards.values());
    }

    /** The shard holding {@code name}. */
    public SafeTensorsFile shardOf(String name) {
        SafeTensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new WeightsException(index + ": no tensor '" + name + "'");
        }
        return f;
    }

    /** The index's {@code metadata} object (e.g. total_size), values as strings. */
    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    @Override
    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    @Override
    public Tensor tensor(String name) {
        return shardOf(name).tensor(name);
    }

    @Override
    public String describe() {
        return index.toString();
    }

    @Override
    public void close() {
        shards.values().forEach(SafeTensorsFile::close);
    }
}

package io.jmmdit.model.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.TensorInfo;
import io.jmmdit.weights.WeightSource;
import io.jmmdit.weights.WeightsException;

/**
 * A sharded checkpoint described by a {@code *.safetensors.index.json} ({@code weight_map: name → shard file}); shards
 * are opened (mapped) lazily. Kept package-private: a general version belongs in {@code weights}.
 */
final class ShardedSafeTensors implements WeightSource {

    private final Path index;
    private final Map<String, String> weightMap;
    private final Map<String, SafeTensorsFile> open = new LinkedHashMap<>();

    private ShardedSafeTensors(Path index, Map<String, String> weightMap) {
        this.index = index;
        this.weightMap = weightMap;
    }

    static ShardedSafeTensors open(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(index));
        } catch (IOException e) {
            throw new WeightsException(index + ": cannot read index (" + e.getMessage() + ")", e);
        }
        JsonNode wm = root.get("weight_map");
        if (wm == null || !wm.isObject()) {
            throw new WeightsException(index + ": no weight_map object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = wm.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        return new ShardedSafeTensors(index, Collections.unmodifiableMap(map));
    }

    /** The shard holding {@code name}. */
    synchronized SafeTensorsFile fileFor(String name) {
        String shard = weightMap.get(name);
        if (shard == null) {
            throw new WeightsException(index + ": no tensor '" + name + "'");
        }
        return open.computeIfAbsent(shard, s -> SafeTensorsFile.open(index.resolveSibling(s)));
    }

    @Override
    public Set<String> names() {
        return weightMap.keySet();
    }

    @Override
    public boolean contains(String name) {
        return weightMap.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return fileFor(name).info(name);
    }

    @Override
    public Tensor tensor(String name) {
        return fileFor(name).tensor(name);
    }

    @Override
    public String describe() {
        return index.toString();
    }

    @Override
    public synchronized void close() {
        open.values().forEach(SafeTensorsFile::close);
        open.clear();
    }
}

package io.jmmdit.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.jmmdit.engine.Tensor;

/**
 * A diffusers pipeline folder: {@code model_index.json} lists components as {@code name: [library, class]}; each non-null
 * component lives in the subfolder {@code name/}. Components whose folder holds weights ({@link Checkpoints#WEIGHT_FILES})
 * are opened (headers validated); weightless ones (schedulers, tokenizers: no {@code config.json}) are skipped.
 *
 * <p>As a {@link WeightSource} the folder exposes every component's tensors as {@code component/tensor}
 * ({@link #SEPARATOR}); {@link #component(String)} gives one component with its own names. Errors name the folder and the
 * component: a listed component without its folder, or a model component (has {@code config.json}) without weights.
 */
public final class DiffusersFolder implements WeightSource {

    public static final String MODEL_INDEX = "model_index.json";
    public static final String SEPARATOR = "/";

    private final Path folder;
    private final String pipelineClass;
    private final Map<String, String> classes;
    private final Map<String, WeightSource> components;
    private final Set<String> names;

    private DiffusersFolder(Path folder, String pipelineClass, Map<String, String> classes, Map<String, WeightSource> components) {
        this.folder = folder;
        this.pipelineClass = pipelineClass;
        this.classes = Collections.unmodifiableMap(classes);
        this.components = Collections.unmodifiableMap(components);
        Set<String> all = new LinkedHashSet<>();
        components.forEach((c, src) -> src.names().forEach(n -> all.add(c + SEPARATOR + n)));
        this.names = Collections.unmodifiableSet(all);
    }

    public static DiffusersFolder open(Path folder) {
        Path indexFile = folder.resolve(MODEL_INDEX);
        JsonNode root;
        try {
            root = SafeTensorsFile.JSON.readTree(Files.readAllBytes(indexFile));
        } catch (NoSuchFileException e) {
            throw new WeightsException(folder + ": not a diffusers pipeline folder (no " + MODEL_INDEX + ")", e);
        } catch (JsonProcessingException e) {
            throw new WeightsException(indexFile + ": not valid JSON (" + SafeTensorsFile.firstLine(e.getOriginalMessage()) + ")", e);
        } catch (IOException | OutOfMemoryError e) {
            throw new WeightsException(indexFile + ": cannot read (" + e + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightsException(indexFile + ": not a JSON object");
        }
        String pipelineClass = root.path("_class_name").asText("");
        Map<String, String> classes = new LinkedHashMap<>();
        Map<String, WeightSource> comps = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode v = e.getValue();
                if (name.startsWith("_") || !v.isArray() || v.size() != 2 || v.get(0).isNull() || v.get(1).isNull()) {
                    continue; // _class_name etc., optional components [null, null], and non-component settings
                }
                classes.put(name, v.get(0).asText() + "." + v.get(1).asText());
                Path sub = folder.resolve(name);
                if (!sub.normalize().startsWith(folder.normalize()) || name.contains(SEPARATOR) || name.contains("\\")) {
                    throw new WeightsException(indexFile + ": component name '" + name + "' is not a subfolder name");
                }
                if (!Files.isDirectory(sub)) {
                    throw new WeightsException(folder + ": component '" + name + "' (" + classes.get(name) + ") is listed in "
                            + MODEL_INDEX + " but its folder " + sub + " is missing");
                }
                if (Checkpoints.weightFile(sub) != null) {
                    comps.put(name, Checkpoints.component(sub));
                } else if (Files.isRegularFile(sub.resolve("config.json"))) {
                    String hint = Checkpoints.hasBinWeights(sub) ? "; only PyTorch .bin weights found: convert them to safetensors" : "";
                    throw new WeightsException(folder + ": component '" + name + "' (" + classes.get(name) + ") has no weights: expected "
                            + String.join(", ", Checkpoints.WEIGHT_FILES) + " in " + sub + hint);
                }
            }
        } catch (RuntimeException | Error e) {
            comps.values().forEach(WeightSource::close);
            throw e;
        }
        return new DiffusersFolder(folder, pipelineClass, classes, comps);
    }

    public Path folder() {
        return folder;
    }

    /** {@code _class_name} of model_index.json, e.g. FluxPipeline ("" if absent). */
    public String pipelineClass() {
        return pipelineClass;
    }

    /** Every listed (non-null) component: name → "library.Class", in model_index.json order. */
    public Map<String, String> componentClasses() {
        return classes;
    }

    /** Names of the components that have weights, in model_index.json order. */
    public Set<String> weightComponents() {
        return components.keySet();
    }

    public boolean hasComponent(String name) {
        return components.containsKey(name);
    }

    /** One component's weights with their own names; closing the folder closes it. */
    public WeightSource component(String name) {
        WeightSource s = components.get(name);
        if (s == null) {
            String why = classes.containsKey(name) ? "has no weights" : "is not listed in " + MODEL_INDEX;
            throw new WeightsException(folder + ": component '" + name + "' " + why + " (components with weights: "
                    + String.join(", ", components.keySet()) + ")");
        }
        return s;
    }

    private WeightSource owner(String name) {
        int i = name.indexOf(SEPARATOR);
        WeightSource s = i < 0 ? null : components.get(name.substring(0, i));
        if (s == null || !s.contains(name.substring(i + 1))) {
            throw new WeightsException(folder + ": no tensor '" + name + "'");
        }
        return s;
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return names.contains(name);
    }

    @Override
    public TensorInfo info(String name) {
        return owner(name).info(name.substring(name.indexOf(SEPARATOR) + 1)).withName(name);
    }

    @Override
    public Tensor tensor(String name) {
        return owner(name).tensor(name.substring(name.indexOf(SEPARATOR) + 1));
    }

    /** Every component's metadata, keys prefixed {@code component/}. */
    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        components.forEach((c, s) -> s.metadata().forEach((k, v) -> m.put(c + SEPARATOR + k, v)));
        return m;
    }

    @Override
    public String describe() {
        return folder.toString();
    }

    @Override
    public void close() {
        components.values().forEach(WeightSource::close);
    }
}

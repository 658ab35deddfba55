package io.jmmdit.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.jmmdit.engine.Tensor;

/**
 * A renaming view over another source: {@link #stripping} exposes only the names that start with a prefix, without it
 * (e.g. {@code "model.diffusion_model."} of an original SD3/FLUX single file); {@link #adding} puts a prefix before every
 * name. Closing the view closes the underlying source.
 */
public final class PrefixedWeightSource implements WeightSource {

    private final WeightSource source;
    private final String description;
    /** view name → underlying name */
    private final Map<String, String> names;

    private PrefixedWeightSource(WeightSource source, String description, Map<String, String> names) {
        this.source = source;
        this.description = description;
        this.names = Collections.unmodifiableMap(names);
    }

    /** The tensors of {@code source} whose names start with {@code prefix}, named without it. */
    public static PrefixedWeightSource stripping(WeightSource source, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : source.names()) {
            if (n.startsWith(prefix)) {
                m.put(n.substring(prefix.length()), n);
            }
        }
        return new PrefixedWeightSource(source, source.describe() + " [" + prefix + "*]", m);
    }

    /** Every tensor of {@code source}, named {@code prefix + name}. */
    public static PrefixedWeightSource adding(WeightSource source, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : source.names()) {
            m.put(prefix + n, n);
        }
        return new PrefixedWeightSource(source, source.describe() + " [as " + prefix + "*]", m);
    }

    public WeightSource source() {
        return source;
    }

    private String underlying(String name) {
        String n = names.get(name);
        if (n == null) {
            throw new WeightsException(description + ": no tensor '" + name + "'");
        }
        return n;
    }

    @Override
    public Set<String> names() {
        return names.keySet();
    }

    @Override
    public boolean contains(String name) {
        return names.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return source.info(underlying(name)).withName(name);
    }

    @Override
    public Tensor tensor(String name) {
        return source.tensor(underlying(name));
    }

    @Override
    public Map<String, String> metadata() {
        return source.metadata();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        source.close();
    }
}

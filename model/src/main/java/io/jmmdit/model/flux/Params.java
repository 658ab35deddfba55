package io.jmmdit.model.flux;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jmmdit.engine.Tensor;

/** One module's float32 parameters by their diffusers names (relative to the module), loaded and freed together. */
final class Params implements AutoCloseable {

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    void put(String name, Tensor t) {
        tensors.put(name, t);
    }

    Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException("no parameter '" + name + "' in " + tensors.keySet());
        }
        return t;
    }

    @Override
    public void close() {
        tensors.values().forEach(Tensor::close);
        tensors.clear();
    }
}

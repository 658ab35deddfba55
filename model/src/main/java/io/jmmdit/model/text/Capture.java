package io.jmmdit.model.text;

import java.util.Map;
import java.util.function.Predicate;

import io.jmmdit.engine.Tensor;

/** Where a forward pass reports named intermediates (copies, owned by the map); {@link #NONE} records nothing. */
final class Capture {

    static final Capture NONE = new Capture(null, n -> false, "");

    private final Map<String, Tensor> out;
    private final Predicate<String> wanted;
    private final String prefix;

    Capture(Map<String, Tensor> out, Predicate<String> wanted, String prefix) {
        this.out = out;
        this.wanted = wanted;
        this.prefix = prefix;
    }

    boolean wants(String name) {
        return out != null && wanted.test(prefix + name);
    }

    void put(String name, Tensor t) {
        if (wants(name)) {
            out.put(prefix + name, t.copy());
        }
    }
}

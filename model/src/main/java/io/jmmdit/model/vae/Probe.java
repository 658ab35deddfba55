package io.jmmdit.model.vae;

import java.util.Map;
import java.util.function.Predicate;

import io.jmmdit.engine.Tensor;

/**
 * Capture of named intermediates: a copy of each tensor whose name the predicate accepts is put into the sink (the
 * sink owns the copies; close them). {@link #NONE} captures nothing.
 */
public final class Probe {

    public static final Probe NONE = new Probe(name -> false, null);

    private final Predicate<String> capture;
    private final Map<String, Tensor> sink;

    private Probe(Predicate<String> capture, Map<String, Tensor> sink) {
        this.capture = capture;
        this.sink = sink;
    }

    public static Probe of(Predicate<String> capture, Map<String, Tensor> sink) {
        if (capture == null || sink == null) {
            return NONE;
        }
        return new Probe(capture, sink);
    }

    public boolean wants(String name) {
        return sink != null && capture.test(name);
    }

    /** Stores a copy of {@code t} under {@code name} if wanted (the caller keeps ownership of {@code t}). */
    public void offer(String name, Tensor t) {
        if (wants(name)) {
            Tensor old = sink.put(name, t.copy());
            if (old != null) {
                old.close();
            }
        }
    }
}

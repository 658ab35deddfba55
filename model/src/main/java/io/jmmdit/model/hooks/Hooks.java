package io.jmmdit.model.hooks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import io.jmmdit.engine.Tensor;

/**
 * Named hook points of a forward pass: a model calls {@link #fire} at each point whose name a registered hook matches
 * ({@link #wants}), so a pass without hooks does no extra work or copies. Names follow the checkpoint's module names;
 * each model documents its table (see {@code FluxTransformer}). Hooks see the full batch tensor.
 */
public final class Hooks {

    /** No hooks: models skip every hook point. */
    public static final Hooks NONE = new Hooks();

    private record Entry(Pattern pattern, Hook hook) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** A registration; closing it removes the hook. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Registers {@code hook} for every point whose full name matches {@code regex} (an exact name matches itself). */
    public Registration register(String regex, Hook hook) {
        if (this == NONE) {
            throw new IllegalStateException("Hooks.NONE cannot take hooks: create a new Hooks()");
        }
        Entry e = new Entry(Pattern.compile(regex), hook);
        entries.add(e);
        return () -> entries.remove(e);
    }

    /** A new set holding this set's hooks (registrations on the copy do not touch this one). */
    public Hooks copy() {
        Hooks h = new Hooks();
        h.entries.addAll(entries);
        return h;
    }

    /** True if some hook is registered for {@code name}: only then is the tensor computed or copied for it. */
    public boolean wants(String name) {
        for (Entry e : entries) {
            if (e.pattern.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Passes {@code value} through every matching hook in registration order and returns the result: {@code value}
     * itself when no hook replaced it. A replacement of another shape is an error naming the point.
     */
    public Tensor fire(String name, Tensor value) {
        Tensor current = value;
        List<Tensor> dropped = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.pattern.matcher(name).matches()) {
                continue;
            }
            Tensor next = e.hook.apply(name, current);
            if (next == null || !Arrays.equals(next.shape(), current.shape())) {
                throw new IllegalStateException("hook for '" + name + "' returned " + (next == null ? "null" : next.shapeString())
                        + ", expected a tensor of shape " + current.shapeString());
            }
            if (next != current && current != value) {
                dropped.add(current);
            }
            current = next;
        }
        dropped.forEach(Tensor::close);
        return current;
    }

    /**
     * The hook point {@code name} on a tensor the caller owns: {@code value} unchanged when no hook wants the point,
     * else the hooks' result, with {@code value} closed if it was replaced.
     */
    public Tensor through(String name, Tensor value) {
        if (!wants(name)) {
            return value;
        }
        Tensor r = fire(name, value);
        if (r != value) {
            value.close();
        }
        return r;
    }
}

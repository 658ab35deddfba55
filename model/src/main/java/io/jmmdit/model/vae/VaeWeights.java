package io.jmmdit.model.vae;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.WeightSource;
import io.jmmdit.weights.WeightsException;

/**
 * Takes tensors out of a checkpoint with shape checks and remembers which were used, so a config that does not match
 * the checkpoint fails at load time instead of silently computing something else.
 */
final class VaeWeights {

    private final WeightSource source;
    private final Set<String> used = new LinkedHashSet<>();

    VaeWeights(WeightSource source) {
        this.source = source;
    }

    boolean contains(String name) {
        return source.contains(name);
    }

    /**
     * The tensor {@code name} with the expected shape, as an owned float32 copy (independent of the mapped file, so the
     * source may be closed afterwards).
     */
    Tensor take(String name, long... shape) {
        if (!source.contains(name)) {
            throw new WeightsException(source.describe() + ": missing tensor '" + name + "' (expected shape " + Arrays.toString(shape) + ")");
        }
        long[] found = source.info(name).shape();
        if (!Arrays.equals(found, shape)) {
            throw new WeightsException(source.describe() + ": tensor '" + name + "' has shape " + Arrays.toString(found)
                    + ", expected " + Arrays.toString(shape));
        }
        used.add(name);
        try (Tensor t = source.tensor(name)) {
            return t.copy();
        }
    }

    /** A Linear weight [out, in]; LDM-era checkpoints store attention projections as 1×1 convs [out, in, 1, 1]. */
    Tensor takeLinear(String name, long out, long in) {
        if (source.contains(name) && source.info(name).shape().length == 4) {
            try (Tensor t = take(name, out, in, 1, 1)) {
                return t.reshape(out, in).copy();
            }
        }
        return take(name, out, in);
    }

    /** Fails if the checkpoint holds tensors under {@code prefix} that the network did not use. */
    void checkAllUsed(String prefix) {
        Set<String> unused = new TreeSet<>();
        for (String n : source.names()) {
            if (n.startsWith(prefix) && !used.contains(n)) {
                unused.add(n);
            }
        }
        if (!unused.isEmpty()) {
            String list = unused.size() <= 8 ? unused.toString() : unused.stream().limit(8).toList() + " … (" + unused.size() + " in all)";
            throw new WeightsException(source.describe() + ": tensors not used by the configured VAE (config.json does not match the checkpoint?): " + list);
        }
    }
}

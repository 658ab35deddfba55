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

    /** One forward pass of an encoder, writing into {@code cap}; its result is closed by {@link #trace}. */
    interface Forward {
        AutoCloseable run(int[][] ids, int[][] attentionMask, Capture cap) throws Exception;
    }

    /**
     * The encoders' {@code trace}: a run on {@code inputs["input_ids"]} without mask, and, if {@code inputs} has
     * {@code attention_mask} and a {@code masked.} name of {@code names} is wanted, a masked run writing those names.
     */
    static Map<String, Tensor> trace(Map<String, Tensor> inputs, Predicate<String> capture, java.util.List<String> names, Forward forward) {
        Tensor idsT = inputs.get("input_ids");
        if (idsT == null) {
            throw new IllegalArgumentException("trace: inputs have no 'input_ids' (got " + inputs.keySet() + ")");
        }
        int[][] ids = TextWeights.idsOf(idsT);
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        try {
            forward.run(ids, null, new Capture(out, capture, "")).close();
            Tensor m = inputs.get("attention_mask");
            if (m != null && names.stream().anyMatch(n -> capture.test("masked." + n))) {
                forward.run(ids, TextWeights.idsOf(m), new Capture(out, capture, "masked.")).close();
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}

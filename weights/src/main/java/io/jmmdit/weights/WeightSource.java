package io.jmmdit.weights;

import java.util.Map;
import java.util.Set;

import io.jmmdit.engine.Tensor;

/**
 * Named tensors from one checkpoint (a file, a sharded set, a folder), converted to float32 on demand.
 * Every failure is a {@link WeightsException} whose message names the checkpoint and, where known, the tensor.
 */
public interface WeightSource extends AutoCloseable {

    Set<String> names();

    boolean contains(String name);

    /** The tensor's header entry; throws {@link WeightsException} naming the checkpoint and tensor if absent. */
    TensorInfo info(String name);

    /** The tensor as float32; throws {@link WeightsException} naming the checkpoint and tensor if absent. */
    Tensor tensor(String name);

    /** Where the weights come from, for messages. */
    String describe();

    /** Free-form string metadata ({@code __metadata__} of a file; merged/prefixed for composite sources). */
    default Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    void close();
}

package io.jmmdit.weights;

import java.util.Set;

import io.jmmdit.engine.Tensor;

/** Named tensors from one checkpoint (a file, a sharded set, a folder), converted to float32 on demand. */
public interface WeightSource extends AutoCloseable {

    Set<String> names();

    boolean contains(String name);

    TensorInfo info(String name);

    /** The tensor as float32; throws {@link WeightsException} naming the checkpoint and tensor if absent. */
    Tensor tensor(String name);

    /** Where the weights come from, for messages. */
    String describe();

    @Override
    void close();
}

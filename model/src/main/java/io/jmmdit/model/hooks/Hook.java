package io.jmmdit.model.hooks;

import io.jmmdit.engine.Tensor;

/**
 * Observes or replaces one internal tensor of a forward pass. Return {@code value} itself to observe, or a new tensor
 * of the same shape to replace it (the model then continues with the replacement and frees it when done). The hook must
 * not close or modify {@code value}; copy it to keep it.
 */
@FunctionalInterface
public interface Hook {

    Tensor apply(String name, Tensor value);
}

package io.jmmdit.model.text;

import java.util.function.UnaryOperator;

import io.jmmdit.engine.Activations;
import io.jmmdit.engine.Tensor;

/** transformers' ACT2FN names used by the text encoders. */
final class Act {

    private Act() {
    }

    static UnaryOperator<Tensor> of(String name) {
        return switch (name) {
            case "quick_gelu" -> Activations::quickGelu;
            case "gelu" -> Activations::geluErf;
            case "gelu_new", "gelu_pytorch_tanh" -> Activations::geluTanh;
            case "relu" -> x -> x.clamp(0f, Float.POSITIVE_INFINITY);
            case "silu", "swish" -> Activations::silu;
            default -> throw new IllegalArgumentException("unsupported activation '" + name + "'");
        };
    }
}

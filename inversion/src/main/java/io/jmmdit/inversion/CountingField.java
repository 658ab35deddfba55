package io.jmmdit.inversion;

import java.util.Arrays;

import io.jmmdit.engine.Tensor;

/** Counts calls and checks the field's contract (non-null result of the input's shape). */
final class CountingField {

    private final VelocityField field;
    private int calls;

    CountingField(VelocityField field) {
        if (field == null) {
            throw new IllegalArgumentException("velocity field is null");
        }
        this.field = field;
    }

    Tensor velocity(Tensor x, float sigma, StepInfo info) {
        Tensor v = field.velocity(x, sigma, info);
        calls++;
        if (v == null) {
            throw new IllegalStateException("velocity field returned null at " + info);
        }
        if (v == x) {
            throw new IllegalStateException("velocity field returned its input tensor at " + info + " (it must return a new tensor)");
        }
        if (!Arrays.equals(v.shape(), x.shape())) {
            throw new IllegalStateException("velocity field returned shape " + v.shapeString() + " for input " + x.shapeString() + " at " + info);
        }
        return v;
    }

    int calls() {
        return calls;
    }

    static double relativeChange(Tensor next, Tensor prev) {
        double d;
        try (Tensor diff = next.sub(prev)) {
            d = diff.norm2();
        }
        double p = prev.norm2();
        return p > 0 ? d / p : d;
    }

    static void checkData(Tensor data, Schedule schedule) {
        if (data == null || schedule == null) {
            throw new IllegalArgumentException("data and schedule are required");
        }
        if (data.rank() < 1) {
            throw new IllegalArgumentException("data needs a batch dimension [B, ...], got " + data.shapeString());
        }
    }
}

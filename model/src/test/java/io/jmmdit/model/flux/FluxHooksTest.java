package io.jmmdit.model.flux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.hooks.Hooks;
import io.jmmdit.weights.SafeTensorsFile;

/** Hook points on the golden tiny FLUX (case-a inputs). */
class FluxHooksTest {

    static FluxTransformer model;
    static SafeTensorsFile golden;
    static FluxInputs inputs;

    @BeforeAll
    static void load() {
        model = FluxTransformer.load(FluxTransformerParityTest.golden("config.json").getParent());
        golden = SafeTensorsFile.open(FluxTransformerParityTest.golden("case-a.safetensors"));
        inputs = new FluxInputs(golden.tensor("hidden_states"), golden.tensor("encoder_hidden_states"), golden.tensor("pooled_projections"),
                golden.tensor("timestep").toFloatArray(), golden.tensor("guidance").toFloatArray(), golden.tensor("img_ids"), golden.tensor("txt_ids"));
    }

    @AfterAll
    static void close() {
        model.close();
        golden.close();
    }

    private static float[] run(Hooks hooks) {
        try (Tensor s = model.forward(inputs, hooks)) {
            return s.toFloatArray();
        }
    }

    @Test
    void replacingEveryPointByACopyOfItselfIsBitIdentical() {
        float[] plain = run(Hooks.NONE);
        Hooks hooks = new Hooks();
        List<String> seen = new ArrayList<>();
        hooks.register(".*", (name, v) -> {
            seen.add(name);
            return v.copy();
        });
        assertArrayEquals(plain, run(hooks));
        assertTrue(seen.contains("transformer_blocks.0.norm1_context"));
        assertTrue(seen.contains("transformer_blocks.1.attn.value"));
        assertTrue(seen.contains("single_transformer_blocks.2.attn.probs"));
        assertTrue(seen.contains("single_transformer_blocks.0.attn.to_q"));
    }

    @Test
    void observingChangesNothing() {
        float[] plain = run(Hooks.NONE);
        Hooks hooks = new Hooks();
        long[][] shape = new long[1][];
        try (Hooks.Registration r = hooks.register("transformer_blocks\\.0\\.norm1_context", (name, v) -> {
            shape[0] = v.shape();
            return v;
        })) {
            assertArrayEquals(plain, run(hooks));
        }
        assertArrayEquals(new long[] {1, 7, 32}, shape[0]);
        assertTrue(hooks.isEmpty(), "closing the registration removes the hook");
    }

    @Test
    void replacingValuesChangesTheOutput() {
        float[] plain = run(Hooks.NONE);
        Hooks hooks = new Hooks();
        hooks.register("single_transformer_blocks\\.1\\.attn\\.value", (name, v) -> v.mul(0.5f));
        float[] changed = run(hooks);
        double diff = 0;
        for (int i = 0; i < plain.length; i++) {
            diff = Math.max(diff, Math.abs(plain[i] - changed[i]));
        }
        assertTrue(diff > 1e-3, "V replacement changed the sample by only " + diff);
    }

    @Test
    void aReplacementOfAnotherShapeIsRejectedByName() {
        Hooks hooks = new Hooks();
        hooks.register("transformer_blocks\\.0\\.norm1", (name, v) -> Tensor.zeros(1, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(hooks));
        assertTrue(e.getMessage().contains("transformer_blocks.0.norm1"), e.getMessage());
    }

    @Test
    void noHooksMeansNoHookPointIsWanted() {
        assertFalse(Hooks.NONE.wants("transformer_blocks.0.attn.probs"));
        assertThrows(IllegalStateException.class, () -> Hooks.NONE.register(".*", (n, v) -> v));
        Hooks h = new Hooks();
        h.register("transformer_blocks\\.0\\.attn\\.probs", (n, v) -> v);
        assertTrue(h.wants("transformer_blocks.0.attn.probs"));
        assertFalse(h.wants("transformer_blocks.1.attn.probs"));
        assertEquals(false, h.isEmpty());
    }

    @Test
    void badInputsNameTheTensorAndShapes() {
        FluxInputs bad = new FluxInputs(inputs.hiddenStates(), inputs.encoderHiddenStates(), inputs.pooledProjections(),
                inputs.timestep(), inputs.guidance(), inputs.txtIds(), inputs.txtIds());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(bad, Hooks.NONE));
        assertTrue(e.getMessage().contains("img_ids") && e.getMessage().contains("[16, 3]") && e.getMessage().contains("[7, 3]"), e.getMessage());
    }
}

package io.jmmdit.inversion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static void rejects(String fragment, float... s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.of(s));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void validatesWithClearErrors() {
        rejects("at least 2", 1f);
        rejects("at least 2");
        rejects("must be 1", 0.9f, 0.5f, 0f);
        rejects("must be 0", 1f, 0.5f, 0.1f);
        rejects("must not increase", 1f, 0.3f, 0.5f, 0f);
        rejects("not in [0, 1]", 1f, Float.NaN, 0f);
        rejects("not in [0, 1]", 1f, -0.1f, 0f);
        rejects("not in [0, 1]", 1.5f, 0f);
        assertThrows(IllegalArgumentException.class, () -> Schedule.of((List<Number>) null));
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("1, x, 0"));
        assertThrows(IllegalArgumentException.class, () -> Schedule.linear(0));
    }

    @Test
    void acceptsAndRoundTrips() {
        float[] golden = {1.0f, 0.8576923f, 0.60215056f, 0.00892857f, 0.0f};
        Schedule s = Schedule.of(golden);
        assertEquals(4, s.steps());
        assertEquals(0.8576923f, s.sigma(1));
        assertArrayEquals(golden, s.sigmas());
        assertEquals(s, Schedule.parse(s.toText()));
        assertEquals(s, Schedule.of(List.of(1.0, 0.8576923f, 0.60215056f, 0.00892857f, 0)));
        assertEquals(Schedule.of(1f, 0.5f, 0f), Schedule.linear(2));
        Schedule.of(1f, 1f, 0.5f, 0.5f, 0f);                 // equal neighbours are allowed (σ_0 ≥ … ≥ σ_N)
        float[] copy = s.sigmas();
        copy[1] = 0.1f;
        assertEquals(0.8576923f, s.sigma(1));              // immutable
        assertThrows(IndexOutOfBoundsException.class, () -> s.sigma(5));
    }

    @Test
    void stepInfoFirstFractionFollowsIntOfNTimesRatio() {
        int count = 0;
        for (int i = 0; i < 30; i++) {
            if (new StepInfo(Phase.SAMPLING, i, 30, i, 0).withinFirst(0.15)) {
                count++;
            }
        }
        assertEquals(4, count);                              // int(30 * 0.15) = 4
        assertTrue(new StepInfo(Phase.SAMPLING, 29, 30, 29, 0).withinFirst(1.0));
        assertTrue(!new StepInfo(Phase.SAMPLING, 0, 30, 0, 0).withinFirst(0.0));
        assertThrows(IllegalArgumentException.class, () -> new StepInfo(Phase.SAMPLING, 30, 30, 0, 0));
    }
}

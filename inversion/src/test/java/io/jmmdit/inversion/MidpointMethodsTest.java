package io.jmmdit.inversion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.jmmdit.engine.Tensor;
import org.junit.jupiter.api.Test;

/** RF-Solver and FireFlow inversion (ALGORITHMS.md §4). */
class MidpointMethodsTest {

    @Test
    void exactOnAConstantFieldWithTheirCallCounts() {
        Schedule sch = Schedule.of(1f, 0.8f, 0.5f, 0.2f, 0f);
        float[] c = {0.5f, -1f, 2f};
        try (Tensor d = Tensor.of(new float[] {1f, 2f, 3f}, 1, 3)) {
            for (InversionMethod m : new InversionMethod[] {new RfSolverInversion(), new FireFlowInversion()}) {
                try (Trajectory t = m.invert(Fields.constant(c), d, sch)) {
                    for (int k = 0; k <= 4; k++) {
                        float[] p = t.point(k).toFloatArray();
                        for (int j = 0; j < 3; j++) {
                            assertEquals(d.toFloatArray()[j] + sch.sigma(k) * c[j], p[j], 1e-5, m + " x_" + k);
                        }
                    }
                    assertEquals(m.maxModelCalls(sch), t.modelCalls(), m.toString());
                    assertEquals(SigmaConvention.SOURCE_SIGMA, t.convention());
                }
            }
        }
        try (Tensor d = Tensor.of(new float[] {1f, 2f, 3f}, 1, 3);
             Trajectory ff = new FireFlowInversion().invert(Fields.constant(c), d, sch);
             Trajectory rf = new RfSolverInversion().invert(Fields.constant(c), d, sch)) {
            assertArrayEquals(new int[] {2, 1, 1, 1}, ff.callsPerStep());
            assertArrayEquals(new int[] {2, 2, 2, 2}, rf.callsPerStep());
        }
    }

    @Test
    void rfSolverEvaluatesAtStartAndMidpointSigmas() {
        Schedule sch = Schedule.of(1f, 0.6f, 0f);
        List<Float> sigmas = new ArrayList<>();
        List<StepInfo> infos = new ArrayList<>();
        VelocityField f = (x, s, i) -> {
            sigmas.add(s);
            infos.add(i);
            return x.mul(0.1f);
        };
        try (Tensor d = Tensor.of(new float[] {1f}, 1, 1); Trajectory t = new RfSolverInversion().invert(f, d, sch)) {
            assertEquals(List.of(0f, 0.3f, 0.6f, 0.8f), sigmas);
            assertEquals(new StepInfo(Phase.INVERSION, 0, 2, 2, 0), infos.get(0));
            assertEquals(new StepInfo(Phase.INVERSION, 0, 2, 2, 1), infos.get(1));
            assertEquals(new StepInfo(Phase.INVERSION, 1, 2, 1, 0), infos.get(2));
        }
    }

    /** On v = ω·J·x the exact flow from σ = 0 to 1 is a rotation by ω: second-order steps beat Euler. */
    @Test
    void secondOrderMethodsBeatEulerOnARotationField() {
        double omega = 1.5;
        VelocityField f = Fields.linear(Fields.rotation(2, omega), new double[2], new double[2]);
        Schedule sch = Schedule.linear(10);
        try (Tensor d = Tensor.of(new float[] {1f, 0.5f}, 1, 2)) {
            double[] exact = {Math.cos(omega) * 1 - Math.sin(omega) * 0.5, Math.sin(omega) * 1 + Math.cos(omega) * 0.5};
            double euler = err(new EulerInversion(SigmaConvention.SOURCE_SIGMA), f, d, sch, exact);
            double rf = err(new RfSolverInversion(), f, d, sch, exact);
            double ff = err(new FireFlowInversion(), f, d, sch, exact);
            assertTrue(rf < euler / 10, "rf-solver " + rf + " vs euler " + euler);
            assertTrue(ff < euler / 3, "fireflow " + ff + " vs euler " + euler);
        }
    }

    private static double err(InversionMethod m, VelocityField f, Tensor d, Schedule sch, double[] exact) {
        try (Trajectory t = m.invert(f, d, sch)) {
            return Fields.dist(t.noise().toFloatArray(), exact);
        }
    }
}

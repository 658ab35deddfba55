package io.jmmdit.inversion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.jmmdit.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Call counts, step infos, progress, row roles and trajectory persistence. */
class MethodsTest {

    private static final Schedule SCH = Schedule.of(1f, 0.75f, 0.4f, 0.1f, 0f);

    /** Records every call's (σ, step info) around a field. */
    private static final class Recording implements VelocityField {
        final VelocityField inner;
        final List<StepInfo> infos = new ArrayList<>();
        final List<Float> sigmas = new ArrayList<>();

        Recording(VelocityField inner) {
            this.inner = inner;
        }

        @Override
        public Tensor velocity(Tensor x, float sigma, StepInfo step) {
            infos.add(step);
            sigmas.add(sigma);
            return inner.velocity(x, sigma, step);
        }
    }

    private static Tensor data() {
        return Fields.randomTensor(new Random(1), 1.0, 1, 3);
    }

    @Test
    void eulerInversionCallsAndSigmas() {
        for (SigmaConvention c : SigmaConvention.values()) {
            Recording f = new Recording(Fields.nonlinear(0.5f, 0.1f));
            List<int[]> progress = new ArrayList<>();
            try (Tensor d = data(); Trajectory t = new EulerInversion(c).invert(f, d, SCH, (done, total) -> progress.add(new int[] {done, total}))) {
                assertEquals(4, t.modelCalls());
                assertArrayEquals(new int[] {1, 1, 1, 1}, t.callsPerStep());
                assertEquals(4, progress.size());
                assertArrayEquals(new int[] {4, 4}, progress.get(3));
                for (int s = 0; s < 4; s++) {
                    int k = 3 - s;
                    int idx = c == SigmaConvention.SOURCE_SIGMA ? k + 1 : k;
                    StepInfo info = f.infos.get(s);
                    assertEquals(new StepInfo(Phase.INVERSION, s, 4, idx, 0), info);
                    assertEquals(SCH.sigma(idx), f.sigmas.get(s));
                }
                assertArrayEquals(d.toFloatArray(), t.data().toFloatArray(), 0f);
                assertNotSame(d, t.data());
                assertEquals("euler", t.method());
                assertEquals(c, t.convention());
            }
        }
    }

    @Test
    void fixedPointCallsAndSigmas() {
        Recording f = new Recording(Fields.nonlinear(0.5f, 0.1f));
        try (Tensor d = data(); Trajectory t = new FixedPointInversion(2).invert(f, d, SCH)) {
            assertEquals(12, t.modelCalls());
            assertEquals(12, new FixedPointInversion(2).maxModelCalls(SCH));
            assertArrayEquals(new int[] {3, 3, 3, 3}, t.callsPerStep());
            assertEquals(Map.of("K", "2"), t.parameters());
            assertEquals(SigmaConvention.TARGET_SIGMA, t.convention());
            for (int call = 0; call < 12; call++) {
                int s = call / 3;
                int k = 3 - s;
                assertEquals(new StepInfo(Phase.INVERSION, s, 4, k, call % 3), f.infos.get(call));
                assertEquals(SCH.sigma(k), f.sigmas.get(call));
            }
            for (double ch : t.finalRelativeChange()) {
                assertTrue(ch >= 0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new FixedPointInversion(-1));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveFixedPointInversion(2, -1));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveFixedPointInversion(2, Double.NaN));
    }

    @Test
    void adaptiveReportsCallsUsedAndSaved() {
        AdaptiveFixedPointInversion m = new AdaptiveFixedPointInversion(3, 1e-3);
        try (Tensor d = data(); Trajectory t = m.invert(Fields.constant(new float[] {1f, -2f, 0.5f}), d, SCH)) {
            assertEquals(8, t.modelCalls());
            assertEquals(8, m.savedCalls(t));
            assertEquals("0.001", t.parameters().get("tolerance"));
            assertEquals("3", t.parameters().get("K"));
            assertEquals(AdaptiveFixedPointInversion.NAME, t.method());
        }
        // tolerance 0 on a non-trivial field never stops early
        try (Tensor d = data(); Trajectory t = new AdaptiveFixedPointInversion(3, 0).invert(Fields.nonlinear(0.7f, 0.3f), d, SCH)) {
            assertEquals(16, t.modelCalls());
        }
    }

    @Test
    void samplersCountCallsAndReportSteps() {
        Recording f = new Recording(Fields.nonlinear(0.5f, 0.1f));
        try (Tensor d = data(); Trajectory t = new FixedPointInversion(1).invert(Fields.nonlinear(0.5f, 0.1f), d, SCH)) {
            CompensatedSampler cs = new CompensatedSampler(t, RowRoles.sourceTarget());
            try (Tensor start = cs.startBatch()) {
                assertArrayEquals(new long[] {2, 3}, start.shape());
                try (Tensor r0 = start.select(0, 0); Tensor r1 = start.select(0, 1)) {
                    assertArrayEquals(t.noise().toFloatArray(), r0.toFloatArray(), 0f);
                    assertArrayEquals(t.noise().toFloatArray(), r1.toFloatArray(), 0f);
                }
            }
            List<Integer> progress = new ArrayList<>();
            try (SamplingResult r = cs.sample(f, (done, total) -> progress.add(done))) {
                assertEquals(4, r.modelCalls());
                assertEquals(List.of(1, 2, 3, 4), progress);
                for (int i = 0; i < 4; i++) {
                    assertEquals(new StepInfo(Phase.SAMPLING, i, 4, i, 0), f.infos.get(i));
                    assertEquals(SCH.sigma(i), f.sigmas.get(i));
                    SamplingStep st = r.steps().get(i);
                    assertEquals(i, st.step());
                    assertEquals(1, st.modelCalls());
                    assertTrue(st.compensationMaxAbs() > 0);
                }
                try (Tensor src = r.finalBatch().select(0, 0)) {
                    assertArrayEquals(d.toFloatArray(), src.toFloatArray(), 0f);
                }
            }
            try (SamplingResult r = new EulerSampler().sample(f, t, ProgressListener.NONE)) {
                assertEquals(4, r.modelCalls());
                assertEquals(0.0, r.steps().get(0).compensationMaxAbs());
            }
            // wrong batch size for the roles
            try (Tensor bad = Tensor.zeros(3, 3)) {
                assertThrows(IllegalArgumentException.class, () -> cs.sample(f, bad, ProgressListener.NONE));
            }
            // a role following a trajectory row that does not exist
            RowRoles two = RowRoles.builder(2).source(0, 1).target(1, 0).build();
            assertThrows(IllegalArgumentException.class, () -> new CompensatedSampler(t, two).sample(f, ProgressListener.NONE));
        }
    }

    @Test
    void cfgRowRolesCompensateBothSourceRows() {
        try (Tensor d = data(); Trajectory t = new EulerInversion(SigmaConvention.SOURCE_SIGMA).invert(Fields.nonlinear(0.9f, 0f), d, SCH);
             SamplingResult r = new CompensatedSampler(t, RowRoles.cfgSourceTarget()).sample(Fields.nonlinear(1.3f, 0.2f), ProgressListener.NONE)) {
            assertArrayEquals(new int[] {0, 2}, RowRoles.cfgSourceTarget().sourceRows());
            assertArrayEquals(new int[] {1, 3}, RowRoles.cfgSourceTarget().targetRows());
            for (int row : new int[] {0, 2}) {
                try (Tensor s = r.finalBatch().select(0, row)) {
                    assertArrayEquals(d.toFloatArray(), s.toFloatArray(), 0f);
                }
            }
            try (Tensor tg = r.finalBatch().select(0, 1)) {
                assertTrue(Fields.maxAbsDiff(tg, d) > 1e-3);
            }
        }
    }

    @Test
    void rowRolesValidation() {
        assertThrows(IllegalStateException.class, () -> RowRoles.builder(2).source(0, 0).build());
        assertThrows(IllegalArgumentException.class, () -> RowRoles.builder(2).source(0, 0).target(0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> RowRoles.builder(2).source(2, 0));
        assertThrows(IllegalArgumentException.class, () -> RowRoles.builder(0));
        assertEquals(0, RowRoles.noneCompensated(3).sourceRows().length);
    }

    @Test
    void fieldContractViolationsAreReported() {
        try (Tensor d = data()) {
            VelocityField wrongShape = (x, s, i) -> Tensor.zeros(1, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new EulerInversion(SigmaConvention.TARGET_SIGMA).invert(wrongShape, d, SCH));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
            VelocityField same = (x, s, i) -> x;
            assertThrows(IllegalStateException.class, () -> new FixedPointInversion(1).invert(same, d, SCH));
        }
    }

    @Test
    void trajectoryRoundTripsThroughPlainParts() {
        try (Tensor d = data(); Trajectory t = new AdaptiveFixedPointInversion(2, 1e-2).invert(Fields.nonlinear(0.5f, 0.1f), d, SCH)) {
            Map<String, String> meta = t.metadata();
            assertEquals(Trajectory.FORMAT, meta.get("format"));
            assertEquals(SCH.toText(), meta.get("sigmas"));
            assertEquals("2", meta.get("param.K"));
            List<Tensor> copies = new ArrayList<>();
            for (Tensor p : t.points()) {
                copies.add(p.copy());
            }
            try (Trajectory back = Trajectory.fromParts(copies, meta)) {
                assertEquals(t.schedule(), back.schedule());
                assertEquals(t.method(), back.method());
                assertEquals(t.convention(), back.convention());
                assertEquals(t.parameters(), back.parameters());
                assertEquals(t.modelCalls(), back.modelCalls());
                assertArrayEquals(t.callsPerStep(), back.callsPerStep());
                assertArrayEquals(t.finalRelativeChange(), back.finalRelativeChange(), 0.0);
                for (int k = 0; k <= 4; k++) {
                    assertArrayEquals(t.point(k).toFloatArray(), back.point(k).toFloatArray(), 0f);
                }
                assertEquals(meta, back.metadata());
            }
            Map<String, Tensor> named = t.namedTensors();
            assertEquals(List.of("x_0", "x_1", "x_2", "x_3", "x_4"), new ArrayList<>(named.keySet()));
            Map<String, Tensor> copiesNamed = new java.util.LinkedHashMap<>();
            named.forEach((k, v) -> copiesNamed.put(k, v.copy()));
            try (Trajectory back = Trajectory.fromNamed(copiesNamed, meta)) {
                assertEquals(t.modelCalls(), back.modelCalls());
            }
            Map<String, String> bad = new java.util.HashMap<>(meta);
            bad.remove("method");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trajectory.fromParts(t.points(), bad));
            assertTrue(e.getMessage().contains("method"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Trajectory.fromParts(t.points().subList(0, 3), meta));
        }
    }
}

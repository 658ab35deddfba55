package io.jmmdit.inversion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.jmmdit.engine.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties on analytic velocity fields with known exact behaviour. Latents are [B, d]. */
class InversionPropertiesTest {

    // ---- constant field: Euler is exact ------------------------------------------------------------------------

    @Property(tries = 15)
    void constantFieldEulerInversionIsExactAndSamplingReturns(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int steps) {
        Random r = new Random(seed);
        int d = 1 + r.nextInt(6);
        int b = 1 + r.nextInt(3);
        Schedule sch = Fields.randomSchedule(r, steps);
        float[] c = toFloat(Fields.randomVector(r, d, 1.0));
        VelocityField field = Fields.constant(c);
        try (Tensor data = Fields.randomTensor(r, 1.0, b, d)) {
            for (SigmaConvention conv : SigmaConvention.values()) {
                try (Trajectory t = new EulerInversion(conv).invert(field, data, sch)) {
                    assertEquals(conv, t.convention());
                    assertEquals(steps, t.modelCalls());
                    for (int k = 0; k <= steps; k++) {
                        float sk = sch.sigma(k);
                        try (Tensor cc = Tensor.of(c, 1, d); Tensor sc = cc.mul(sk); Tensor exact = data.add(sc)) {
                            assertTrue(Fields.maxAbsDiff(t.point(k), exact) <= 1e-5 * (1 + Fields.maxAbs(exact)), "x_" + k);
                        }
                    }
                    try (SamplingResult back = new EulerSampler().sample(field, t, ProgressListener.NONE)) {
                        assertEquals(steps, back.modelCalls());
                        assertTrue(Fields.maxAbsDiff(back.finalBatch(), data) <= 1e-5 * (1 + Fields.maxAbs(data)));
                    }
                }
            }
        }
    }

    // ---- K = 0 is target-σ Euler, exactly ----------------------------------------------------------------------

    @Property(tries = 15)
    void fixedPointWithZeroIterationsIsTargetSigmaEulerExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int steps) {
        Random r = new Random(seed);
        Schedule sch = Fields.randomSchedule(r, steps);
        VelocityField field = Fields.nonlinear((float) (0.2 + r.nextDouble()), (float) r.nextGaussian());
        try (Tensor data = Fields.randomTensor(r, 1.0, 1 + r.nextInt(3), 1 + r.nextInt(5));
             Trajectory fp = new FixedPointInversion(0).invert(field, data, sch);
             Trajectory eu = new EulerInversion(SigmaConvention.TARGET_SIGMA).invert(field, data, sch)) {
            for (int k = 0; k <= steps; k++) {
                assertArrayEquals(eu.point(k).toFloatArray(), fp.point(k).toFloatArray(), 0f, "x_" + k);
            }
            assertEquals(eu.modelCalls(), fp.modelCalls());
            assertEquals(SigmaConvention.TARGET_SIGMA, fp.convention());
        }
    }

    // ---- linear / rotation fields: Stage I converges to the implicit (exact Euler inversion) solution ---------------

    @Property(tries = 15)
    void fixedPointIteratesContractToTheImplicitSolution(@ForAll long seed, @ForAll boolean rotation,
                                                         @ForAll @IntRange(min = 0, max = 6) int k) {
        Random r = new Random(seed);
        int d = rotation ? 2 * (1 + r.nextInt(3)) : 1 + r.nextInt(5);
        int steps = 1 + r.nextInt(5);
        Schedule sch = Fields.randomSchedule(r, steps);
        double q = 0.1 + 0.4 * r.nextDouble();           // contraction factor bound h·‖A‖ for the largest step h
        double hMaxAcc = 0;
        for (int i = 0; i < steps; i++) {
            hMaxAcc = Math.max(hMaxAcc, sch.sigma(i) - sch.sigma(i + 1));
        }
        double hMax = hMaxAcc;
        double[][] a = rotation ? Fields.rotation(d, q / hMax) : Fields.randomMatrix(r, d, q / hMax);
        double[] b0 = Fields.randomVector(r, d, 1.0);
        double[] b1 = Fields.randomVector(r, d, 1.0);
        VelocityField field = Fields.linear(a, b0, b1);

        List<String> failures = new ArrayList<>();
        double[][] zStar = new double[1][];
        double[] prevErr = new double[1];
        IterationObserver obs = (info, z, v, next) -> {
            float[] zf = z.toFloatArray();
            float sk = sch.sigma(info.sigmaIndex());
            double h = sk - sch.sigma(info.sigmaIndex() + 1);
            if (info.iteration() == 0) {                 // z⁰ = x_{k+1}: solve (I − hA) z* = x_{k+1} + h·b(σ_k)
                double[] rhs = new double[d];
                for (int j = 0; j < d; j++) {
                    rhs[j] = zf[j] + h * (b0[j] + sk * b1[j]);
                }
                zStar[0] = Fields.solveImplicit(a, h, rhs);
                prevErr[0] = Fields.dist(zf, zStar[0]);
            }
            double err = Fields.dist(next.toFloatArray(), zStar[0]);
            double qStep = h * q / hMax;
            if (err > qStep * prevErr[0] + 1e-5 * (1 + Fields.norm(zStar[0]))) {
                failures.add(info + ": error " + err + " > " + qStep + " * " + prevErr[0]);
            }
            prevErr[0] = err;
        };
        try (Tensor data = Fields.randomTensor(r, 1.0, 1, d);
             Trajectory t = new FixedPointInversion(k).withObserver(obs).invert(field, data, sch)) {
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(steps * (k + 1), t.modelCalls());
        }
    }

    /**
     * Stage I's output is x_{k+1} + h·mean(v_0 … v_K) = mean(z¹ … z^{K+1}), so its distance to the implicit solution z*
     * is at most (1/(K+1))·Σ_{i=1..K+1} qⁱ·‖x_{k+1} − z*‖: it shrinks with K and tends to 0.
     */
    @Property(tries = 15)
    void stageOneOutputErrorShrinksWithK(@ForAll long seed, @ForAll boolean rotation) {
        Random r = new Random(seed);
        int d = rotation ? 2 * (1 + r.nextInt(3)) : 1 + r.nextInt(5);
        float s1 = (float) (0.05 + 0.9 * r.nextDouble());
        Schedule sch = Schedule.of(1f, s1, 0f);           // inspect the first inversion step 0 → s1
        double h = s1;
        double q = 0.2 + 0.3 * r.nextDouble();
        double[][] a = rotation ? Fields.rotation(d, q / h) : Fields.randomMatrix(r, d, q / h);
        double[] b0 = Fields.randomVector(r, d, 1.0);
        double[] b1 = Fields.randomVector(r, d, 1.0);
        VelocityField field = Fields.linear(a, b0, b1);
        try (Tensor data = Fields.randomTensor(r, 1.0, 1, d)) {
            float[] x = data.toFloatArray();
            double[] rhs = new double[d];
            for (int j = 0; j < d; j++) {
                rhs[j] = x[j] + h * (b0[j] + s1 * b1[j]);
            }
            double[] zStar = Fields.solveImplicit(a, h, rhs);
            double e0 = Fields.dist(x, zStar);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int k : new int[] {0, 1, 2, 4, 8, 30}) {
                try (Trajectory t = new FixedPointInversion(k).invert(field, data, sch)) {
                    double err = Fields.dist(t.point(1).toFloatArray(), zStar);
                    double bound = 0;
                    for (int i = 1; i <= k + 1; i++) {
                        bound += Math.pow(q, i);
                    }
                    bound = bound / (k + 1) * e0;
                    assertTrue(err <= bound + 1e-5 * (1 + Fields.norm(zStar)), "K=" + k + ": " + err + " > " + bound);
                    first = Double.isNaN(first) ? err : first;
                    last = err;
                }
            }
            assertTrue(last <= first + 1e-6, "K=30 error " + last + " vs K=0 error " + first);
            assertTrue(last <= 0.05 * e0 + 1e-5 * (1 + Fields.norm(zStar)), "K=30 error " + last + " vs e0 " + e0);
        }
    }

    // ---- Stage II: source rows end on the input, target rows get nothing ---------------------------------------------

    @Property(tries = 15)
    void compensatedSourceRowsEndOnTheInputForAnyFieldAndSchedule(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int steps) {
        Random r = new Random(seed);
        int d = 1 + r.nextInt(6);
        Schedule sch = Fields.randomSchedule(r, steps);
        VelocityField field = Fields.nonlinear((float) (0.2 + 2 * r.nextDouble()), (float) r.nextGaussian());
        int batch = 1 + r.nextInt(4);
        int trajRows = 1 + r.nextInt(2);
        RowRoles.Builder rb = RowRoles.builder(batch);
        for (int row = 0; row < batch; row++) {
            int tr = r.nextInt(trajRows);
            if (r.nextBoolean()) {
                rb.source(row, tr);
            } else {
                rb.target(row, tr);
            }
        }
        RowRoles roles = rb.build();
        InversionMethod method = r.nextBoolean() ? new EulerInversion(SigmaConvention.SOURCE_SIGMA) : new FixedPointInversion(r.nextInt(3));
        List<String> failures = new ArrayList<>();
        try (Tensor data = Fields.randomTensor(r, 1.0, trajRows, d);
             Trajectory t = method.invert(field, data, sch)) {
            SamplingObserver obs = (info, x, v, euler, next) -> {
                for (int row : roles.sourceRows()) {
                    try (Tensor got = next.select(0, row); Tensor want = t.point(info.step() + 1).select(0, roles.trajectoryRow(row))) {
                        if (Fields.maxAbsDiff(got, want) != 0) {
                            failures.add("step " + info.step() + " row " + row);
                        }
                    }
                }
                for (int row : roles.targetRows()) {
                    try (Tensor got = next.select(0, row); Tensor e = euler.select(0, row)) {
                        if (Fields.maxAbsDiff(got, e) != 0) {
                            failures.add("target row " + row + " touched at step " + info.step());
                        }
                    }
                }
            };
            CompensatedSampler sampler = new CompensatedSampler(t, roles).withObserver(obs);
            try (SamplingResult res = sampler.sample(field, ProgressListener.NONE)) {
                assertTrue(failures.isEmpty(), failures.toString());
                assertEquals(steps, res.modelCalls());
                assertEquals(steps, res.steps().size());
                for (int row : roles.sourceRows()) {
                    try (Tensor got = res.finalBatch().select(0, row); Tensor want = data.select(0, roles.trajectoryRow(row))) {
                        double tol = 1e-5 * Math.max(1e-30, Fields.maxAbs(want));
                        assertTrue(Fields.maxAbsDiff(got, want) <= tol, "source row " + row);
                    }
                }
                // target rows evolve exactly as plain Euler sampling of the same start (rows are independent here)
                try (Tensor start = sampler.startBatch();
                     SamplingResult plain = new EulerSampler().sample(field, start, sch, ProgressListener.NONE)) {
                    for (int row : roles.targetRows()) {
                        try (Tensor got = res.finalBatch().select(0, row); Tensor want = plain.finalBatch().select(0, row)) {
                            assertTrue(Fields.maxAbsDiff(got, want) <= 1e-6 * (1 + Fields.maxAbs(want)), "target row " + row);
                        }
                    }
                }
            }
        }
    }

    // ---- adaptive variant ----------------------------------------------------------------------------------------

    @Property(tries = 15)
    void adaptiveUsesAtMostTwoCallsPerStepOnAConstantFieldAndMatchesFixedK(@ForAll long seed,
                                                                          @ForAll @IntRange(min = 2, max = 5) int k) {
        Random r = new Random(seed);
        int d = 1 + r.nextInt(5);
        int steps = 1 + r.nextInt(6);
        Schedule sch = Fields.randomSchedule(r, steps);
        VelocityField field = Fields.constant(toFloat(Fields.randomVector(r, d, 1.0)));
        AdaptiveFixedPointInversion ad = new AdaptiveFixedPointInversion(k, 1e-4);
        try (Tensor data = Fields.randomTensor(r, 1.0, 1 + r.nextInt(2), d);
             Trajectory a = ad.invert(field, data, sch);
             Trajectory f = new FixedPointInversion(k).invert(field, data, sch)) {
            for (int c : a.callsPerStep()) {
                assertTrue(c <= 2 && c < k + 1, "calls per step " + c);
            }
            assertTrue(ad.savedCalls(a) >= steps * (k - 1));
            assertEquals(f.modelCalls() - ad.savedCalls(a), a.modelCalls());
            for (int i = 0; i <= steps; i++) {
                assertTrue(Fields.maxAbsDiff(a.point(i), f.point(i)) <= 1e-6 * (1 + Fields.maxAbs(f.point(i))), "x_" + i);
            }
        }
    }

    @Property(tries = 15)
    void adaptiveAgreesWithFixedKWithinTolerance(@ForAll long seed, @ForAll boolean rotation) {
        Random r = new Random(seed);
        int d = rotation ? 2 * (1 + r.nextInt(3)) : 1 + r.nextInt(5);
        int steps = 1 + r.nextInt(6);
        int k = 2 + r.nextInt(6);
        double tol = Math.pow(10, -2 - 2 * r.nextDouble());
        Schedule sch = Fields.randomSchedule(r, steps);
        double q = 0.1 + 0.3 * r.nextDouble();
        double[][] a = rotation ? Fields.rotation(d, q) : Fields.randomMatrix(r, d, q);   // h ≤ 1 ⇒ contraction ≤ q
        VelocityField field = Fields.linear(a, Fields.randomVector(r, d, 1.0), Fields.randomVector(r, d, 1.0));
        try (Tensor data = Fields.randomTensor(r, 1.0, 1, d);
             Trajectory ad = new AdaptiveFixedPointInversion(k, tol).invert(field, data, sch);
             Trajectory fx = new FixedPointInversion(k).invert(field, data, sch)) {
            assertTrue(ad.modelCalls() <= fx.modelCalls());
            assertEquals(fx.modelCalls(), steps * (k + 1));
            double scale = 1;
            for (int i = 0; i <= steps; i++) {
                scale = Math.max(scale, Fields.maxAbs(fx.point(i)));
            }
            for (int i = 0; i <= steps; i++) {
                double diff = Fields.maxAbsDiff(ad.point(i), fx.point(i));
                assertTrue(diff <= (4 * steps * tol + 1e-5) * scale, "x_" + i + ": " + diff + " (tol " + tol + ")");
            }
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}

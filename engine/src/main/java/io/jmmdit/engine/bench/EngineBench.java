package io.jmmdit.engine.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.jmmdit.engine.Attention;
import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Tensor;

/**
 * Throughput of the engine's two hot ops at FLUX.1 sizes — a 3072→3072 linear over 1536 tokens and 24-head × 128
 * attention over 1536 tokens — next to a plain SGEMM of the linear's size in the same run, which is the roof both are
 * compared against.
 */
public final class EngineBench {

    /** Problem sizes: tokens, model width, heads, head dimension. */
    record Sizes(int tokens, int width, int heads, int headDim) {
        static final Sizes FLUX = new Sizes(1536, 3072, 24, 128);
    }

    /** One measured op: its FLOPs per call and the min/median wall time over the timed iterations. */
    record Result(String name, double flops, double minSeconds, double medianSeconds) {
        double gflopsAtMin() {
            return flops / minSeconds / 1e9;
        }

        double gflopsAtMedian() {
            return flops / medianSeconds / 1e9;
        }
    }

    private EngineBench() {
    }

    /** Runs the benchmark at FLUX sizes and prints one line per op plus the ratios to the SGEMM roof. */
    public static void run(PrintStream out, int warmup, int iterations) {
        run(out, warmup, iterations, Sizes.FLUX);
    }

    static List<Result> run(PrintStream out, int warmup, int iterations, Sizes s) {
        if (warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("bench: warmup must be ≥ 0 and iterations ≥ 1 (got " + warmup + ", " + iterations + ")");
        }
        String threads = System.getenv("OMP_NUM_THREADS");
        out.printf("engine bench: %d tokens, width %d, %d heads × %d; %d warmup, %d timed rounds (ops interleaved); %d cores, OMP_NUM_THREADS=%s%n",
                s.tokens, s.width, s.heads, s.headDim, warmup, iterations, Runtime.getRuntime().availableProcessors(),
                threads == null ? "unset" : threads);
        Random r = new Random(0);
        long[] qkv = {1, s.heads, s.tokens, s.headDim};
        double gemmFlops = 2.0 * s.tokens * s.width * s.width;
        double attentionFlops = 4.0 * s.heads * (double) s.tokens * s.tokens * s.headDim;
        try (Tensor x = random(r, s.tokens, s.width); Tensor w = random(r, s.width, s.width); Tensor b = random(r, s.width);
             Tensor q = random(r, qkv); Tensor k = random(r, qkv); Tensor v = random(r, qkv)) {
            INDArray a = Nd4j.rand(DataType.FLOAT, s.tokens, s.width);
            INDArray bt = Nd4j.rand(DataType.FLOAT, s.width, s.width);
            INDArray c = Nd4j.createUninitialized(DataType.FLOAT, s.tokens, s.width);
            try {
                String[] names = {
                    String.format("linear %d→%d × %d tokens", s.width, s.width, s.tokens),
                    String.format("attention %d heads × %d × %d tokens", s.heads, s.headDim, s.tokens),
                    String.format("sgemm %d×%d · (%d×%d)ᵀ (roof)", s.tokens, s.width, s.width, s.width)};
                double[] flops = {gemmFlops, attentionFlops, gemmFlops};
                Runnable[] ops = {
                    () -> Linear.forward(x, w, b).close(),
                    () -> Attention.scaledDotProduct(q, k, v, null).close(),
                    // the linear's gemm alone (same layout, x·Wᵀ) into a preallocated output
                    () -> Nd4j.gemm(a, bt, c, false, true, 1.0, 0.0)};
                double[][] t = new double[ops.length][iterations];
                // round-robin, so load changes on the machine hit every op alike
                for (int round = -warmup; round < iterations; round++) {
                    for (int i = 0; i < ops.length; i++) {
                        long t0 = System.nanoTime();
                        ops[i].run();
                        if (round >= 0) {
                            t[i][round] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                }
                List<Result> results = new ArrayList<>();
                for (int i = 0; i < ops.length; i++) {
                    results.add(report(out, names[i], flops[i], t[i]));
                }
                double roof = results.get(2).gflopsAtMin();
                out.printf("of the SGEMM roof (best times): linear %.0f %%, attention %.0f %%%n",
                        100 * results.get(0).gflopsAtMin() / roof, 100 * results.get(1).gflopsAtMin() / roof);
                out.flush();
                return results;
            } finally {
                a.close();
                bt.close();
                c.close();
            }
        }
    }

    private static Result report(PrintStream out, String name, double flops, double[] t) {
        Arrays.sort(t);
        int n = t.length;
        double median = n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
        Result res = new Result(name, flops, t[0], median);
        out.printf("%-44s %8.2f GFLOP  min %8.2f ms  median %8.2f ms  %7.1f GFLOP/s (min)  %7.1f GFLOP/s (median)%n",
                name, flops / 1e9, 1e3 * res.minSeconds, 1e3 * res.medianSeconds, res.gflopsAtMin(), res.gflopsAtMedian());
        return res;
    }

    private static Tensor random(Random r, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] f = new float[Math.toIntExact(n)];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return Tensor.of(f, shape);
    }
}

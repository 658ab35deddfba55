package io.jmmdit.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import io.jmmdit.engine.bench.EngineBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jmmdit bench ENGINE-BENCHMARK}: performance measurements. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Performance benchmarks.",
        subcommands = {BenchCommand.Engine.class})
public final class BenchCommand extends JmmditCommand {

    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return 0;
    }

    /** {@code jmmdit bench engine [--warmup N] [--iterations N]}: GFLOP/s of linear, attention and the SGEMM roof. */
    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = {"GFLOP/s (best and median time) of a 3072→3072 linear over 1536 tokens, 24-head × 128 attention over",
                "1536 tokens, and a plain SGEMM of the linear's size as the roof (FLUX.1 sizes)."})
    public static final class Engine extends JmmditCommand {

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs of each op (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--iterations", defaultValue = "5", description = "Timed runs of each op (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Override
        protected int execute() {
            if (warmup < 0 || iterations < 1) {
                throw new IllegalArgumentException("--warmup must be ≥ 0 and --iterations ≥ 1");
            }
            PrintStream ps = new PrintStream(new LineDecoder(out()), true, StandardCharsets.UTF_8);
            EngineBench.run(ps, warmup, iterations);
            ps.flush();
            return 0;
        }
    }

    /** UTF-8 bytes from a PrintStream, passed on to a writer line by line (so progress shows as it is measured). */
    private static final class LineDecoder extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final PrintWriter w;

        LineDecoder(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            w.print(line.toString(StandardCharsets.UTF_8));
            line.reset();
            w.flush();
        }
    }
}

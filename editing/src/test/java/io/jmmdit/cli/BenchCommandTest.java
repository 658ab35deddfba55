package io.jmmdit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code jmmdit bench}: registration, help and argument checks (the FLUX-size run itself is too slow for a unit test). */
class BenchCommandTest {

    @Test
    void benchIsRegisteredWithAnEngineSubcommand() {
        JmmditTest.Run top = JmmditTest.run("--help");
        assertTrue(top.out().contains("bench"), top.out());
        JmmditTest.Run bench = JmmditTest.run("bench");
        assertEquals(0, bench.code());
        assertTrue(bench.out().contains("engine"), bench.out());
        JmmditTest.Run help = JmmditTest.run("bench", "engine", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--warmup") && help.out().contains("--iterations"), help.out());
    }

    @Test
    void rejectsBadCounts() {
        JmmditTest.Run zero = JmmditTest.run(Jmmdit.commandLine(), "bench", "engine", "--iterations", "0");
        assertEquals(Jmmdit.EXIT_FAILURE, zero.code());
        assertTrue(zero.err().startsWith("jmmdit: --warmup must be ≥ 0 and --iterations ≥ 1"), zero.err());
        JmmditTest.Run notNumber = JmmditTest.run(Jmmdit.commandLine(), "bench", "engine", "--warmup", "x");
        assertEquals(Jmmdit.EXIT_USAGE, notNumber.code());
    }
}

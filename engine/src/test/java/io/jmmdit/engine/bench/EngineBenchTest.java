package io.jmmdit.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark's bookkeeping at tiny sizes (no timing assertions). */
class EngineBenchTest {

    @Test
    void reportsEveryOpWithItsFlops() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        EngineBench.Sizes s = new EngineBench.Sizes(16, 32, 2, 8);
        List<EngineBench.Result> rs = EngineBench.run(new PrintStream(buf, true, StandardCharsets.UTF_8), 1, 3, s);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(3, rs.size());
        assertEquals(2.0 * 16 * 32 * 32, rs.get(0).flops());
        assertEquals(4.0 * 2 * 16 * 16 * 8, rs.get(1).flops());
        assertEquals(rs.get(0).flops(), rs.get(2).flops());
        for (EngineBench.Result r : rs) {
            assertTrue(r.minSeconds() > 0 && r.minSeconds() <= r.medianSeconds(), r.toString());
            assertTrue(out.contains(r.name()), out);
        }
        assertEquals(3, out.split("GFLOP/s \\(median\\)", -1).length - 1, out);
        assertTrue(out.contains("of the SGEMM roof"), out);
    }

    @Test
    void rejectsNonPositiveIterations() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> EngineBench.run(sink, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> EngineBench.run(sink, -1, 1));
    }
}

package io.dynstack.workloads.bench.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SideBySide --quick} as a user runs it from the benchmarks jar: each program, the
 * steady-state ones too, once with no agent, with JaCoCo's and with dynstack's at three
 * thresholds, in child JVMs. The run itself
 * checks that every output equals the no-agent run's; timings are only checked to exist.
 */
class SideBySideIT {

    @TempDir
    Path out;

    @Test
    void quickRunGivesEveryProgramTheSameOutputUnderEveryAgent() throws Exception {
        Path jar = Path.of("target", "dynstack-benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "package first: " + jar.toAbsolutePath());
        Run run = ChildJvm.java().main(jar.toString(), SideBySide.class.getName())
                .args("--quick", "--programs", "hello,compiler,sql,compiler-steady,sql-steady", "--out", out.toString(),
                        "--agent", System.getProperty("dynstack.agent.jar"))
                .mergeStderr().run();
        String output = run.stdout();
        assertEquals(0, run.exit(), output);
        assertTrue(output.contains("every run's output is identical to the no-agent run's"), output);

        List<String> lines = Files.readAllLines(out.resolve("side-by-side.csv"));
        assertEquals(SideBySide.CSV_HEADER, lines.get(0));
        assertEquals(5 * 5, lines.size() - 1, "five programs, each with no agent, JaCoCo and dynstack at three thresholds");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertTrue(Double.parseDouble(cells[3]) > 0, line);
            if (cells[1].equals("no-agent")) {
                assertEquals("1.000", cells[4], line);
            }
        }

        assertEquals(List.of("hello, world"), Files.readAllLines(out.resolve("logs/hello-dynstack-0-1.out")));
        List<String> sql = Files.readAllLines(out.resolve("logs/sql-dynstack-100-1.out"));
        // 10,000 accounts over 1,000 owners; the owners' tree (parent id / 2) has 2^d owners at
        // depth d, up to depth 9, which holds 512..1000: 489; and 1 + ... + 10,000 = 50,005,000.
        assertEquals("10000|1000", sql.get(0));
        assertEquals(List.of("0|1", "1|2", "2|4", "3|8", "4|16", "5|32", "6|64", "7|128", "8|256", "9|489",
                "10000|50005000"), sql.subList(sql.size() - 11, sql.size()));
        // The steady state runs the script twice in one JVM, each time on a fresh database.
        List<String> steady = Files.readAllLines(out.resolve("logs/sql-steady-dynstack-100-1.out"));
        assertEquals(2 * sql.size(), steady.size());
        assertEquals(sql, steady.subList(sql.size(), steady.size()));
        // The class files are compared by digest inside the run; what the compiler prints is empty.
        String compiler = Files.readString(out.resolve("logs/compiler-jacoco-1.out"));
        assertEquals("", compiler, "the compiler prints nothing with -nowarn and no errors");
    }
}

package io.dynstack.workloads.bench.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SideBySideTest {

    @Test
    void spreadIsTheMedianAndTheRange() {
        assertEquals("1.20 [1.00-1.50]", SideBySide.spread(new double[] {1.5, 1.0, 1.2}, "%.2f"));
        assertEquals("1.10 [1.00-1.50]", SideBySide.spread(new double[] {1.5, 1.0, 1.2, 1.0}, "%.2f"));
        assertEquals("2.00", SideBySide.spread(new double[] {2.0}, "%.2f"), "one round has no range");
    }

    @Test
    void scriptInsertsOneRowAStatementUnderATreeOfOwners() {
        List<String> script = SideBySide.sqlScript(3, 2);
        assertEquals("INSERT INTO owner VALUES(1, 'owner1', NULL)", script.get(2));
        assertEquals("INSERT INTO owner VALUES(2, 'owner2', 1)", script.get(3));
        // account 3: owner 3 % 2 + 1 = 2, balance 3 * 7919 % 100003 = 23757
        assertEquals("INSERT INTO account VALUES(3, 2, 23757)", script.get(6));
        assertEquals(2 + 2 + 3 + 1 + 5, script.size(), "tables, owners, accounts, the index, five queries");
    }

    @Test
    void theDriversDirectoryHoldsTheTwoDriversAndNoAgentClass(@TempDir Path dir) throws Exception {
        Path drivers = SideBySide.writeDrivers(dir.resolve("drivers"));
        try (Stream<Path> files = Files.walk(drivers)) {
            assertEquals(List.of("io/dynstack/workloads/bench/real/Hello.class",
                            "io/dynstack/workloads/bench/real/Repeat.class",
                            "io/dynstack/workloads/bench/real/SqlScript.class"),
                    files.filter(Files::isRegularFile).map(f -> drivers.relativize(f).toString()).sorted().toList());
        }
    }

    @Test
    void theSteadyTimeIsTheDriversLastTimingLine(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("run.err");
        Files.write(stderr, List.of("steady seconds 9.5", "dynstack: THREAD_SIZE 64 KiB", "steady seconds 12.25",
                "  grows 0"));
        assertEquals(12.25, SideBySide.steadySeconds(stderr));
        Files.write(stderr, List.of("Exception in thread \"main\""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SideBySide.steadySeconds(stderr));
        assertEquals("no 'steady seconds ' line in " + stderr + "; the steady-state driver did not finish",
                e.getMessage());
    }

    @Test
    void anUnknownProgramIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SideBySide.parse(new String[] {"--programs", "hello,javac"}));
        assertEquals("unknown program 'javac': one of hello, compiler, sql, compiler-steady, sql-steady",
                e.getMessage());
    }
}

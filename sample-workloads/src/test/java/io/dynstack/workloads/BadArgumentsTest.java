package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import io.dynstack.workloads.bench.Sweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line programs with bad arguments: one line on stderr naming the argument and what it
 * takes, nothing on stdout, exit status 2, and no cell or child JVM started.
 */
class BadArgumentsTest {

    private static final String HELP = "run with --help for the options";

    @TempDir
    Path dir;

    private static Run java(Class<?> main, String... args) throws IOException, InterruptedException {
        return ChildJvm.java().main(System.getProperty("java.class.path"), main.getName()).args(args).run();
    }

    private static void assertRejected(String line, Run run) {
        assertEquals(new Run(2, "", line + "\n"), run);
    }

    private static String compareError(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Compare.parse(args)).getMessage();
    }

    @Test
    void compareRejectsEachBadArgumentWithOneLineAndExitStatus2() throws Exception {
        assertRejected("dynstack compare: unknown option '--job'; " + HELP, java(Compare.class, "--job", "2"));
        assertRejected("dynstack compare: unknown option 'idle-boot'; " + HELP, java(Compare.class, "idle-boot"));
        assertRejected("dynstack compare: option --jobs needs a value; " + HELP, java(Compare.class, "--jobs"));
        assertRejected("dynstack compare: --jobs takes a whole number of at least 1, not '0'",
                java(Compare.class, "--jobs", "0"));
        assertRejected("dynstack compare: option --threshold is given twice; only --set may repeat",
                java(Compare.class, "--threshold", "64", "--threshold", "128"));
        Path file = Files.writeString(dir.resolve("file"), "");
        assertRejected("dynstack compare: --out takes a directory, and " + file + " is not one",
                java(Compare.class, "--out", file.resolve("comparison").toString(), "--agent", file.toString()));
    }

    @Test
    void compareNamesEveryBadValue() throws Exception {
        assertEquals("--threshold takes a whole number of at least 0, not '-1'", compareError("--threshold", "-1"));
        assertEquals("--jobs takes a whole number of at least 1, not 'many'", compareError("--jobs", "many"));
        assertEquals("--jobs takes a whole number of at least 1, not '9999999999'", compareError("--jobs", "9999999999"));
        assertTrue(compareError("--workloads", ",idle-boot").startsWith("unknown workload ''; workloads: idle-boot,"));
        assertTrue(compareError("--policies", "").startsWith("unknown policy ''; policies: fixed-16k,"));
        assertEquals("--set takes workload.param=N, not 'threads=4'", compareError("--set", "threads=4"));
        assertTrue(compareError("--set", "idle-boot.threads=-4")
                .startsWith("bad parameter 'threads=-4' for idle-boot; parameters: ["));
        Path file = Files.writeString(dir.resolve("file"), "");
        assertEquals("--out takes a directory, and " + file + " is not one", compareError("--out", file.toString()));
        Path missing = dir.resolve("no-such.jar");
        assertEquals("no agent jar at " + missing + "; build it with ./mvnw -q package -DskipTests or pass --agent JAR",
                compareError("--out", dir.resolve("a/b").toString(), "--agent", missing.toString()));
        for (String line : List.of(compareError("--threshold", "x"), compareError("--workloads", "x"),
                compareError("--policies", "dynamic-check+x"), compareError("--set", "x.y=1"), compareError("-x"))) {
            assertFalse(line.contains("\n"), line);
        }
    }

    @Test
    void compareHelpIsTheUsageOnStdout() throws Exception {
        Run run = java(Compare.class, "--help");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().startsWith("usage: java -jar dynstack-agent.jar compare [--workloads a,b]"), run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void anOutDirectoryThatDoesNotExistYetIsAccepted() throws Exception {
        Path out = dir.resolve("new/comparison");
        Path agent = Files.writeString(dir.resolve("agent.jar"), "");
        assertEquals(out, Compare.parse(new String[] {"--out", out.toString(), "--agent", agent.toString()}).out());
    }

    @Test
    void manyIdleRejectsEachBadArgumentWithOneLineAndExitStatus2() throws Exception {
        String usage = "usage: ManyIdleBenchmark [--threads N]";
        assertRejected("many-idle: --threads takes a whole number of at least 1, not 'lots'",
                java(ManyIdleBenchmark.class, "--threads", "lots"));
        assertRejected("many-idle: --threads needs a value; " + usage, java(ManyIdleBenchmark.class, "--threads"));
        assertRejected("many-idle: unknown argument '1000'; " + usage, java(ManyIdleBenchmark.class, "1000"));
        assertEquals("--threads takes a whole number of at least 1, not '0'", assertThrows(IllegalArgumentException.class,
                () -> ManyIdleBenchmark.threads(new String[] {"--threads", "0"})).getMessage());
        assertEquals("--threads takes a whole number of at least 1, not '-5'", assertThrows(IllegalArgumentException.class,
                () -> ManyIdleBenchmark.threads(new String[] {"--threads", "-5"})).getMessage());
        assertEquals("unexpected argument '--threads'; " + usage, assertThrows(IllegalArgumentException.class,
                () -> ManyIdleBenchmark.threads(new String[] {"--threads", "5", "--threads", "6"})).getMessage());
        assertEquals(1_000_000, ManyIdleBenchmark.threads(new String[0]));
        assertEquals(5000, ManyIdleBenchmark.threads(new String[] {"--threads", "5000"}));
    }

    @Test
    void aCellWithAnUnknownWorkloadIsOneLine() throws Exception {
        Run run = java(Cell.class, "idle");
        assertEquals(2, run.exit());
        assertTrue(run.stderr().startsWith("cell: unknown workload 'idle'; workloads: idle-boot,"), run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
    }

    @Test
    void sweepRejectsEachBadArgumentWithOneLineAndExitStatus2() throws Exception {
        assertRejected("dynstack sweep: unknown option '--fork'; " + HELP, java(Sweep.class, "--fork", "2"));
        assertRejected("dynstack sweep: unknown argument 'quick'; " + HELP, java(Sweep.class, "quick"));
        assertRejected("dynstack sweep: --forks needs a value; " + HELP, java(Sweep.class, "--forks"));
        assertRejected("dynstack sweep: bad value '0' for --forks: a number, at least 1",
                java(Sweep.class, "--forks", "0"));
        assertRejected("dynstack sweep: bad threshold 'big': a frame size in bytes or 'none'",
                java(Sweep.class, "--agent", "a.jar", "--thresholds", "none,big"));
        assertRejected("dynstack sweep: no chain 'idle'; chains: [syscall-mix, small-frames, recursive, real-work]",
                java(Sweep.class, "--agent", "a.jar", "--chains", "idle"));
        Path missing = dir.resolve("no-such.jar");
        assertRejected("dynstack sweep: no agent jar at " + missing + "; build it with ./mvnw -q package -DskipTests or pass"
                + " --agent JAR", java(Sweep.class, "--agent", missing.toString(), "--out", dir.toString()));
        assertRejected("dynstack sweep: --replot takes one directory, a sweep's --out; " + HELP, java(Sweep.class, "--replot"));
        assertRejected("dynstack sweep: no sweep.csv and sweep.json in " + dir + " to replot",
                java(Sweep.class, "--replot", dir.toString()));
        assertRejected("dynstack sweep: bad threshold '1234567890': a frame size in bytes or 'none'",
                java(Sweep.class, "--thresholds", "1234567890"));
        Path file = Files.writeString(dir.resolve("file"), "");
        assertRejected("dynstack sweep: --out takes a directory, and " + file + " is not one",
                java(Sweep.class, "--out", file.resolve("sweep").toString()));
        Files.writeString(dir.resolve("sweep.json"), "{}");
        Files.writeString(dir.resolve("sweep.csv"), "chain,config,ns_per_op,ns_per_op_error,ratio_to_uninstrumented,"
                + "alloc_bytes_per_op,checks_inserted,checks_executed,faults,panics,max_depth_bytes\nrecursive,none,12\n");
        assertRejected("dynstack sweep: " + dir.resolve("sweep.csv") + " line 2: 3 columns, not 11",
                java(Sweep.class, "--replot", dir.toString()));
    }

    @Test
    void sweepHelpIsTheUsageOnStdout() throws Exception {
        Run run = java(Sweep.class, "--help");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().startsWith("usage: java -jar dynstack-agent.jar sweep [--quick] [--out DIR]"), run.stdout());
        assertTrue(run.stdout().contains("dynstack-agent.jar sweep --replot DIR"), run.stdout());
        assertEquals("", run.stderr());
    }
}

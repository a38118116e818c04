package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.AgentOptions;
import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged agent given one bad option among good ones, in a child JVM: stderr is exactly one
 * line, no report is written and nothing is woven. The good options alone make ItMain panic (an
 * unchecked deep path), so a run that prints its result and exits 0 ran unwoven.
 */
class BadOptionsIT {

    private static final String NOTHING = "; nothing is instrumented, the program runs without dynstack\n";

    @TempDir
    Path dir;

    private static Run java(String agentOptions) throws Exception {
        String jar = System.getProperty("dynstack.agent.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "build the agent jar first: " + jar);
        return ChildJvm.java().options("-Xshare:off").agent(jar, agentOptions)
                .main(Path.of("target", "test-classes").toAbsolutePath().toString(), "io.dynstack.testkernel.ItMain")
                .args("10").run();
    }

    /** Options that weave ItKernel with no checks and log every method: its deep path panics. */
    private String good(Path report) {
        return "kernel=io.dynstack.testkernel.it.**,threshold=none,verbose=debug,report=" + report;
    }

    @Test
    void theGoodOptionsAloneWeaveAndPanic() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java(good(report));
        assertEquals(1, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("KERNEL PANIC: double fault"), run.stderr());
        assertTrue(Files.isRegularFile(report));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fault=crash|bad value 'crash' for option 'fault': expected panic or grow",
        "initial=6k|initial must be a multiple of page (4096) between one page and thread_size (16384), not 6144",
        "page=32k|thread_size must be a positive multiple of page (32768), not 16384",
        "threshold=64|option 'threshold' is given twice",
        "cpus=0|bad value '0' for option 'cpus': expected simulated CPUs, 1 to 65536",
        "log=|option 'log' has no value: expected stderr or system (System.getLogger(\"io.dynstack\"))",
    })
    void oneBadOptionAmongGoodOnesIsOneLineAndNothingIsApplied(String bad, String message) throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java(good(report) + "," + bad);
        assertEquals(new Run(0, "read 10\n", "dynstack: " + message + NOTHING), run);
        assertFalse(Files.exists(report), "no report");
    }

    @Test
    void anUnknownKeyNamesTheKeys() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java(good(report) + ",threads=4");
        assertEquals(new Run(0, "read 10\n", "dynstack: unknown option 'threads'; keys: "
                + String.join(", ", AgentOptions.keys()) + NOTHING), run);
        assertFalse(Files.exists(report), "no report");
    }

    @Test
    void aReportThatCannotBeWrittenIsRefusedAtStart() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "");
        Path report = file.resolve("report.json");
        Run run = java(good(report));
        assertEquals(new Run(0, "read 10\n", "dynstack: bad value '" + report + "' for option 'report': " + file
                + " is not a directory; expected a file path for the JSON report written at exit" + NOTHING), run);
    }

    @Test
    void aReportInDirectoriesNotYetThereIsWrittenThere() throws Exception {
        Path report = dir.resolve("new/sub/report.json");
        Run run = java("kernel=io.dynstack.testkernel.it.**,report=" + report);
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(Files.readString(report).contains("\"methods_woven\":5"), Files.readString(report));
    }
}

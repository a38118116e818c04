package io.dynstack.agent;

import static io.dynstack.agent.ReportJson.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built agent jar, as a user runs it: {@code java -javaagent:dynstack-agent.jar=... Main}. */
class AgentJarIT {

    @TempDir
    Path dir;

    static Run java(String agentOptions, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("dynstack.agent.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "build the agent jar first: " + jar);
        return ChildJvm.java().options("-Xshare:off").agent(jar, agentOptions)
                .main(Path.of("target", "test-classes").toAbsolutePath().toString(), "io.dynstack.testkernel.ItMain")
                .args(args).run();
    }

    @Test
    void theAgentWeavesRunsAndReportsExactFigures() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java("kernel=io.dynstack.testkernel.it.**,report=" + report, "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("read 10\n", run.stdout());
        String json = Files.readString(report);
        assertEquals(1, number(json, "stacks"));
        assertEquals(16384, number(json, "base_bytes"));
        assertEquals(8192, number(json, "peak_mapped_bytes"), "64 + 96 + 208 + 10 x 512 = 5488 needs two pages");
        assertEquals(5, number(json, "methods_woven"), "the constructor and four methods");
        assertEquals(2, number(json, "checks_inserted"), "fs (208) and deep (512) reach the threshold of 100");
        assertEquals(11, number(json, "checks_executed"));
        assertEquals(1, number(json, "grows"));
        assertEquals(0, number(json, "faults"));
        assertEquals(0, number(json, "panics"));
        assertEquals(0, number(json, "expand_calls"));
        assertEquals(5488, number(json, "max_depth_bytes"));
        assertTrue(run.stderr().contains("peak mapped KiB                   8"), run.stderr());
        assertTrue(run.stderr().contains("saving                       50.00%"), run.stderr());
    }

    @Test
    void anUncheckedDeepPathPanicsWithTheOopsOnStderr() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java("kernel=io.dynstack.testkernel.it.**,threshold=none,report=" + report, "10");
        assertEquals(1, run.exit(), "the panic is uncaught in main");
        assertTrue(run.stderr().contains("KERNEL PANIC: double fault: io.dynstack.testkernel.it.ItKernel.deep(I)I "
                + "(frame 512) at depth 4464"), run.stderr());
        assertTrue(run.stderr().contains("   64     64  io.dynstack.testkernel.it.ItKernel.read(I)I"), run.stderr());
        assertEquals(1, number(Files.readString(report), "panics"));
    }

    @Test
    void faultGrowCountsTheFaultInstead() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java("kernel=io.dynstack.testkernel.it.**,threshold=none,fault=grow,report=" + report, "10");
        assertEquals(0, run.exit(), run.stderr());
        String json = Files.readString(report);
        assertEquals(1, number(json, "faults"));
        assertEquals(0, number(json, "checks_executed"));
    }

    @Test
    void aBadOptionIsOneLineAndTheProgramRunsUninstrumented() throws Exception {
        Run run = java("kernel=io.dynstack.testkernel.it.**,threshold=abc", "10");
        assertEquals(0, run.exit());
        assertEquals("read 10\n", run.stdout());
        List<String> lines = run.stderr().lines().filter(l -> l.startsWith("dynstack")).toList();
        assertEquals(List.of("dynstack: bad value 'abc' for option 'threshold': expected a frame size in bytes "
                + "(0 checks every method) or 'none'; nothing is instrumented, the program runs without dynstack"), lines);
        assertFalse(run.stderr().contains("methods woven"));
    }

    @Test
    void theReportsConfigHoldsEveryOptionAsGivenAndAsResolved() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java("kernel=io.dynstack.testkernel.it.**,fault=grow,report=" + report, "10");
        assertEquals(0, run.exit(), run.stderr());
        String json = Files.readString(report);
        assertTrue(json.contains("\"options_given\":{\"kernel\":\"io.dynstack.testkernel.it.**\",\"fault\":\"grow\","
                + "\"report\":\"" + report + "\"}"), json);
        assertTrue(json.contains("\"options_resolved\":{\"kernel\":[\"io.dynstack.testkernel.it.**\"],\"excludes\":[],"
                + "\"threshold\":100,\"threshold_basis\":\"frame\",\"expand\":true,\"methods\":true,\"guarantee\":null,"
                + "\"report\":\"" + report + "\",\"verbose\":\"off\",\"log\":\"stderr\"}"), json);
    }

    @Test
    void excludesKeepsMatchingClassesUnwoven() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java("kernel=io.dynstack.testkernel.**,excludes=io.dynstack.testkernel.it.*,report=" + report, "10");
        assertEquals(0, run.exit(), run.stderr());
        String json = Files.readString(report);
        assertEquals(1, number(json, "classes_woven"), "ItMain only: ItKernel is excluded");
        assertFalse(json.contains("io.dynstack.testkernel.it.ItKernel"), json);
        assertTrue(json.contains("\"method\":\"io.dynstack.testkernel.ItMain.main([Ljava/lang/String;)V\""), json);
    }

    @Test
    void aKernelGlobThatMatchedNoClassIsAWarningAtExit() throws Exception {
        Run run = java("kernel=io.dynstack.testkernel.it.**:io.dynstack.testkernal.**", "10");
        assertEquals(0, run.exit(), run.stderr());
        List<String> warnings = run.stderr().lines().filter(l -> l.startsWith("dynstack: warning")).toList();
        assertEquals(List.of("dynstack: warning: kernel glob 'io.dynstack.testkernal.**' matched no class, so nothing"
                + " under it was woven; check the package name ('*' stays within a package, '**' crosses packages) and"
                + " that its classes load after the agent starts"), warnings);
    }
}

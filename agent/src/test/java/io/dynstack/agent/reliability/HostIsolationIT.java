package io.dynstack.agent.reliability;

import static io.dynstack.agent.ReportJson.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.runtime.Kernel;
import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassWriter;

/**
 * The agent changes nothing in the host but the figures, seen from outside: the packaged agent in
 * a child JVM with hosts that configure the JDK themselves, small heaps, many threads, code that
 * swallows errors, and their own ASM and Byte Buddy.
 */
class HostIsolationIT {

    private static final String IT_KERNEL = "kernel=io.dynstack.testkernel.it.**";

    @TempDir
    Path dir;

    static Run onClassPath(String classPath, List<String> jvmOptions, String agentOptions, String main, String... args)
            throws Exception {
        String jar = System.getProperty("dynstack.agent.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "build the agent jar first: " + jar);
        ChildJvm child = ChildJvm.java().options("-Xshare:off").options(jvmOptions);
        if (agentOptions != null) {
            child.agent(jar, agentOptions);
        }
        return child.main(classPath, main).args(args).run();
    }

    static Run java(List<String> jvmOptions, String agentOptions, String main, String... args) throws Exception {
        return onClassPath(testClasses(), jvmOptions, agentOptions, main, args);
    }

    /** Without the agent. */
    static Run plain(List<String> jvmOptions, String main, String... args) throws Exception {
        return onClassPath(testClasses(), jvmOptions, null, main, args);
    }

    private static String testClasses() {
        return Path.of("target", "test-classes").toAbsolutePath().toString();
    }

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void aHostThatInstallsItsOwnLogManagerInMainGetsIt() throws Exception {
        Run run = java(List.of(), IT_KERNEL, "io.dynstack.testkernel.host.LogManagerMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("read 10\nlog manager io.dynstack.testkernel.host.LogManagerMain$HostLogManager\n", run.stdout());
    }

    @Test
    void jmxTrueCreatesTheMBeanServerInPremainAndWithItTheJdksLogManager() throws Exception {
        Run run = java(List.of(), IT_KERNEL + ",jmx=true", "io.dynstack.testkernel.host.LogManagerMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("read 10\nlog manager java.util.logging.LogManager\n", run.stdout(),
                "the trade-off jmx=true documents");
    }

    @Test
    void premainStartsNoThreadTheReaperStartsWithTheFirstStack() throws Exception {
        Run run = java(List.of(), IT_KERNEL, "io.dynstack.testkernel.host.AgentThreadsMain");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("at main []\nafter kernel entry [dynstack-reaper]\n", run.stdout());
    }

    @ParameterizedTest
    @CsvSource({"thread_size=999996k", "thread_size=2097148k;initial=2097148k", "thread_size=2097148k;cpus=65536;irq_stacks=true"})
    void theLargestSizesStartInASmallHeapAndReport(String sizes) throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java(List.of("-Xmx16m"), IT_KERNEL + "," + sizes.replace(';', ',') + ",report=" + report,
                "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("read 10\n", run.stdout());
        assertTrue(run.stderr().contains("checks executed                  11"), run.stderr());
        assertEquals(5488, number(Files.readString(report), "max_depth_bytes"));
    }

    @ParameterizedTest
    @CsvSource({"sequential,platform", "sequential,virtual"})
    void threadsRunOneAfterAnotherCountAsOneStack(String mode, String kind) throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java(List.of(), IT_KERNEL + ",report=" + report, "io.dynstack.testkernel.host.ThreadsMain",
                mode, "5000", kind);
        assertEquals(0, run.exit(), run.stderr());
        String json = Files.readString(report);
        assertEquals(1, number(json, "stacks"), "one thread alive at a time");
        assertEquals(5000, number(json, "stacks_created"));
        assertEquals(0, number(json, "live_stacks"));
        assertEquals(8192, number(json, "peak_mapped_bytes"), "one thread's two pages");
        assertEquals(50, number(json, "saving_percent"));
        assertEquals(5000, number(json, "stacks_reaped"));
        assertEquals(5000 * 11, number(json, "checks_executed"));
    }

    @ParameterizedTest
    @CsvSource({"together,platform", "together,virtual"})
    void threadsAliveTogetherAllCountBeyondTheSweepBudget(String mode, String kind) throws Exception {
        Path report = dir.resolve("report.json");
        int threads = 3000;
        Run run = java(List.of(), IT_KERNEL + ",report=" + report, "io.dynstack.testkernel.host.ThreadsMain",
                mode, String.valueOf(threads), kind);
        assertEquals(0, run.exit(), run.stderr());
        String json = Files.readString(report);
        assertEquals(threads, number(json, "stacks"));
        assertEquals(threads, number(json, "stacks_created"));
        assertEquals(0, number(json, "live_stacks"));
        assertEquals(threads * 8192L, number(json, "peak_mapped_bytes"));
        assertEquals(threads * 16384L, number(json, "base_bytes"));
        assertEquals(threads, number(json, "stacks_reaped"));
    }

    @Test
    void byDefaultAPanicIsThrownAndHostCodeCanSwallowIt() throws Exception {
        Run run = java(List.of(), IT_KERNEL + ",threshold=none", "io.dynstack.testkernel.host.SwallowMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("swallowed io.dynstack.runtime.KernelPanic\n", run.stdout());
    }

    @Test
    void onPanicHaltPrintsTheOopsWritesTheReportAndHaltsWhateverTheHostCatches() throws Exception {
        Path report = dir.resolve("report.json");
        Run run = java(List.of(), IT_KERNEL + ",threshold=none,on_panic=halt,report=" + report,
                "io.dynstack.testkernel.host.SwallowMain", "10");
        assertEquals(Kernel.PANIC_EXIT_STATUS, run.exit(), run.stderr());
        assertEquals("", run.stdout(), "the host's catch never ran");
        assertTrue(run.stderr().startsWith("KERNEL PANIC: double fault: io.dynstack.testkernel.it.ItKernel.deep(I)I"),
                run.stderr());
        assertTrue(run.stderr().contains("panics                            1"), "the table: " + run.stderr());
        assertEquals(1, number(Files.readString(report), "panics"));
    }

    @Test
    void theShippedJarNeverWeavesTheHostsOwnAsmAndByteBuddy() throws Exception {
        String classPath = String.join(File.pathSeparator, testClasses(), jarOf(ClassWriter.class), jarOf(ByteBuddy.class));
        Path report = dir.resolve("report.json");
        Run run = onClassPath(classPath, List.of(), "kernel=org.objectweb.asm.**:net.bytebuddy.**,report=" + report,
                "io.dynstack.testkernel.host.AsmHostMain");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().startsWith("asm "), run.stdout());
        String json = Files.readString(report);
        assertEquals(0, number(json, "classes_woven"), json);
        assertEquals(0, number(json, "stacks_created"), json);
        assertEquals(List.of(
                "dynstack: option 'kernel': glob 'org.objectweb.asm.**' names only classes that are never woven (the"
                        + " JDK, dynstack, Byte Buddy, ASM); it weaves nothing",
                "dynstack: option 'kernel': glob 'net.bytebuddy.**' names only classes that are never woven (the JDK,"
                        + " dynstack, Byte Buddy, ASM); it weaves nothing"),
                run.stderr().lines().filter(l -> l.startsWith("dynstack: option")).toList());
    }

    @Test
    void aGlobThatMatchesNoClassIsNamedAtExit() throws Exception {
        Run run = java(List.of(), IT_KERNEL + ":io.dynstack.testkernel.itt.**", "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("read 10\n", run.stdout());
        assertEquals(List.of("dynstack: warning: kernel glob 'io.dynstack.testkernel.itt.**' matched no class, so nothing"
                + " under it was woven; check the package name ('*' stays within a package, '**' crosses packages) and"
                + " that its classes load after the agent starts"),
                run.stderr().lines().filter(l -> l.startsWith("dynstack: warning")).toList());
    }

    @Test
    void aGlobOfTheJdkIsNamedAtStartAndNotAgainAtExit() throws Exception {
        Run run = java(List.of(), "kernel=java.**", "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(List.of("dynstack: option 'kernel': glob 'java.**' names only classes that are never woven (the JDK,"
                + " dynstack, Byte Buddy, ASM); it weaves nothing"),
                run.stderr().lines().filter(l -> l.contains("glob")).toList());
    }
}

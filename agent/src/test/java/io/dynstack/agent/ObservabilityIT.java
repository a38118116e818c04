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
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JFR, JMX and the JVM without them, seen from outside: the agent jar in a child JVM. */
class ObservabilityIT {

    private static final String KERNEL = "kernel=io.dynstack.testkernel.it.**";

    @TempDir
    Path dir;

    static Run java(List<String> jvmOptions, String agentOptions, String main, String... args)
            throws IOException, InterruptedException {
        String jar = System.getProperty("dynstack.agent.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "build the agent jar first: " + jar);
        return ChildJvm.java().options("-Xshare:off").options(jvmOptions).agent(jar, agentOptions)
                .main(Path.of("target", "test-classes").toAbsolutePath().toString(), main).args(args).run();
    }

    private static List<RecordedEvent> events(Path recording, String name) throws IOException {
        return RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    void aRecordingHasTheGrowOfTheWovenMethodAndTheTotals() throws Exception {
        Path rec = dir.resolve("rec.jfr");
        // The totals when the recording ends, not once a second: the run is shorter than that. A .jfc
        // file, since the command line's event#setting form only knows events registered at JVM start.
        Path endChunk = Files.writeString(dir.resolve("totals-at-end.jfc"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0">
                  <event name="dynstack.StackStatistics">
                    <setting name="enabled">true</setting>
                    <setting name="period">endChunk</setting>
                  </event>
                </configuration>
                """);
        Run run = java(List.of("-XX:StartFlightRecording=filename=" + rec + ",settings=profile,settings="
                        + endChunk),
                KERNEL, "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        List<RecordedEvent> grows = events(rec, "dynstack.StackGrow");
        assertEquals(1, grows.size(), grows.toString());
        RecordedEvent grow = grows.get(0);
        assertEquals("check", grow.getString("cause"));
        assertEquals("io.dynstack.testkernel.it.ItKernel.deep(I)I", grow.getString("method"),
                "the woven method whose check grew the stack");
        assertEquals(4096, grow.getLong("bytes"));
        assertEquals(512, grow.getLong("frameSize"));
        assertEquals("main", grow.getThread().getJavaName());
        List<RecordedEvent> totals = events(rec, "dynstack.StackStatistics");
        assertFalse(totals.isEmpty(), "the totals at the end of the recording");
        RecordedEvent last = totals.get(totals.size() - 1);
        assertEquals(1, last.getLong("grows"));
        assertEquals(11, last.getLong("checksExecuted"));
        assertEquals(5, last.getLong("methodsWoven"));
        assertEquals(8192, last.getLong("peakMappedBytes"));
        assertEquals(5488, last.getLong("maxDepthBytes"));
    }

    @Test
    void withJmxTrueTheMBeanIsRegisteredAtStartAndWritesTheReportOnDemand() throws Exception {
        Path report = dir.resolve("on-demand.json");
        Run run = java(List.of(), KERNEL + ",jmx=true", "io.dynstack.testkernel.JmxMain", "10", report.toString());
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(List.of("Stacks=1", "PeakMappedBytes=8192", "ChecksExecuted=11", "Grows=1", "MethodsWoven=5",
                "ChecksInserted=2", "MaxDepthBytes=5488", "report=" + report.toAbsolutePath()), run.stdout().lines().toList());
        String json = Files.readString(report);
        assertEquals(1, number(json, "grows"));
        assertEquals(5488, number(json, "max_depth_bytes"));
    }

    @Test
    void withoutJfrAndJmxModulesTheAgentRunsAndReportsTheSame() throws Exception {
        Path report = dir.resolve("report.json");
        Path classes = dir.resolve("classes.log");
        Run run = java(List.of("--limit-modules", "java.instrument", "-Xlog:class+load:file=" + classes),
                KERNEL + ",verbose=debug,jmx=true,report=" + report, "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("read 10\n", run.stdout());
        assertTrue(run.stderr().contains("dynstack: no jdk.jfr module (or -Ddynstack.jfr=false): no dynstack JFR events"),
                run.stderr());
        assertTrue(run.stderr().contains("dynstack: no java.management module: the io.dynstack:type=Kernel MBean is "
                + "not registered"), run.stderr());
        String json = Files.readString(report);
        assertEquals(1, number(json, "grows"));
        assertEquals(11, number(json, "checks_executed"));
        assertEquals(8192, number(json, "peak_mapped_bytes"));
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("io.dynstack.runtime.StackEvents "), "the guard ran");
        assertTrue(loaded.contains("io.dynstack.runtime.management.KernelManagement "), "the guard ran");
        assertFalse(loaded.contains("io.dynstack.runtime.jfr."), "no event class is loaded without jdk.jfr");
        assertFalse(loaded.contains("PlatformRegistration"), "no JMX code is loaded without java.management");
    }

    @Test
    void dynstackJfrFalseKeepsTheEventsOutOfARecording() throws Exception {
        Path rec = dir.resolve("rec.jfr");
        Run run = java(List.of("-Ddynstack.jfr=false", "-XX:StartFlightRecording=filename=" + rec),
                KERNEL, "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(RecordingFile.readAllEvents(rec).stream()
                .noneMatch(e -> e.getEventType().getName().startsWith("dynstack.")));
        assertTrue(run.stderr().contains("grows                             1"), run.stderr());
    }

    @Test
    void verboseMessagesAreOneStderrLineByDefault() throws Exception {
        Run run = java(List.of(), KERNEL + ",verbose=info", "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(List.of("dynstack: wove io.dynstack.testkernel.it.ItKernel: 5 methods, 2 checks"),
                run.stderr().lines().filter(l -> l.contains("wove ")).toList());
    }

    @Test
    void logSystemHandsMessagesToTheJvmsLoggingBackend() throws Exception {
        Run run = java(List.of(), KERNEL + ",verbose=info,log=system", "io.dynstack.testkernel.ItMain", "10");
        assertEquals(0, run.exit(), run.stderr());
        List<String> lines = run.stderr().lines().toList();
        int message = lines.indexOf("INFO: wove io.dynstack.testkernel.it.ItKernel: 5 methods, 2 checks");
        assertTrue(message > 0, "java.util.logging's two-line format: " + run.stderr());
        assertTrue(lines.get(message - 1).contains("io.dynstack"), "the source line names the caller: " + lines);
        assertFalse(run.stderr().contains("dynstack: wove"));
    }

    /** The schema as shipped: inside the runtime jar nested in the agent jar. */
    private static String shippedSchema() throws IOException {
        try (JarFile agent = new JarFile(System.getProperty("dynstack.agent.jar"));
             JarInputStream runtime = new JarInputStream(
                     agent.getInputStream(agent.getJarEntry("META-INF/dynstack/dynstack-runtime.jar")))) {
            for (JarEntry e = runtime.getNextJarEntry(); e != null; e = runtime.getNextJarEntry()) {
                if (e.getName().equals("io/dynstack/runtime/report.schema.json")) {
                    return new String(runtime.readAllBytes());
                }
            }
        }
        throw new AssertionError("report.schema.json is not in the runtime jar nested in the agent jar");
    }

    @Test
    void theReportTheAgentWritesMatchesTheSchemaItShips() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(mapper.readTree(shippedSchema()));
        for (String options : List.of("", ",threshold=none,fault=grow,cpus=2,reserve=1,irq_stacks=true,release_at_park=true")) {
            Path report = dir.resolve("report" + options.length() + ".json");
            Run run = java(List.of(), KERNEL + options + ",report=" + report, "io.dynstack.testkernel.ItMain", "10");
            assertEquals(0, run.exit(), run.stderr());
            assertEquals(Set.of(), schema.validate(mapper.readTree(report.toFile())), Files.readString(report));
        }
    }
}

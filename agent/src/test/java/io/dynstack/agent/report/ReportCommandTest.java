package io.dynstack.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelPanic;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report command: the files it writes, and one stderr line with status 2 for each kind of bad input. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    private int run(String... args) {
        return ReportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aReportGivesItsPageCsvAndCollapsedStacksNextToIt() throws IOException {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW));
        Path json = Files.writeString(dir.resolve("run.json"), Report.json(Kernel.stats()));
        assertEquals(0, run(json.toString()));
        assertEquals("", err());
        for (String name : List.of("run.html", "run-methods.csv", "run-stacks.collapsed", "run-deepest.collapsed")) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
        }
    }

    @Test
    void aReportThatRecordsAPanicIsWrittenAndExitsThree() throws IOException {
        KernelStack ks = KernelStack.current();
        assertThrows(KernelPanic.class, () -> ks.enter(8192), "a double fault: 8192 bytes below one mapped page");
        Path json = Files.writeString(dir.resolve("panicked.json"), Report.json(Kernel.stats()));
        Path elsewhere = dir.resolve("html");
        assertEquals(ReportCommand.PANICKED, run(json.toString(), "--out", elsewhere.toString()));
        assertEquals("dynstack report: the run panicked 1 time(s); see the oops on its stderr\n", err());
        assertTrue(Files.isRegularFile(elsewhere.resolve("panicked.html")));
    }

    @Test
    void aComparisonGivesItsPageOnly() throws IOException {
        Path json = Files.writeString(dir.resolve("comparison.json"), "{\"schema_version\":1,\"model\":\"simulation\","
                + "\"threshold\":100,\"reference_thread_size\":16384,\"cells\":[]}");
        assertEquals(0, run(json.toString()));
        assertTrue(Files.isRegularFile(dir.resolve("comparison.html")));
        assertEquals(2, Files.list(dir).count(), "the JSON and its page");
    }

    @Test
    void badInputIsOneLineAndStatusTwo() throws IOException {
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"stacks\": ");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"name\": \"x\"}");
        String help = "; java -jar dynstack-agent.jar report --help\n";
        List<List<String>> cases = List.of(
                List.of("dynstack report: no JSON file given" + help),
                List.of("dynstack report: no file " + dir.resolve("missing.json") + help, dir.resolve("missing.json").toString()),
                List.of("dynstack report: unknown option '--html'" + help, "--html"),
                List.of("dynstack report: --out needs a directory" + help, other.toString(), "--out"),
                List.of("dynstack report: " + notJson + " is not a dynstack report or comparison: not valid JSON at character 11:"
                        + " the text ends where a value should be" + help, notJson.toString()),
                List.of("dynstack report: " + other + " is neither an agent report (report=FILE) nor a comparison (comparison.json)"
                        + help, other.toString()));
        for (List<String> c : cases) {
            err.reset();
            assertEquals(2, run(c.subList(1, c.size()).toArray(String[]::new)), c.toString());
            assertEquals(c.get(0), err());
        }
    }
}

package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one command line, {@code java -jar dynstack-agent.jar <command>}, as built: every command's
 * --help, a bad option to each, and compare and sweep run through it from the workloads jar.
 */
class CommandLineIT {

    /** Each command's options, as its --help must list them. */
    private static final Map<String, List<String>> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("analyze", List.of("--kernel", "--threshold", "--threshold-basis", "--margin", "--json"));
        OPTIONS.put("extract", List.of("--out", "--module", "--package", "--release"));
        OPTIONS.put("import", List.of("--out"));
        OPTIONS.put("linux-results", List.of("--thresholds", "--margins", "--out"));
        OPTIONS.put("snapshot", List.of("--data", "--proc", "--kstack-offset", "--out", "--deepest", "--from"));
        OPTIONS.put("report", List.of("--out"));
        OPTIONS.put("compare", List.of("--workloads", "--population", "--policies", "--threshold", "--jobs", "--out",
                "--agent", "--set"));
        OPTIONS.put("sweep", List.of("--quick", "--out", "--agent", "--chains", "--thresholds", "--forks", "--warmups",
                "--iterations", "--time-ms", "--replot"));
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** {@code java -jar dynstack-agent.jar args...}, as a user types it. */
    static Run dynstack(String... args) throws IOException, InterruptedException {
        return ChildJvm.java().jar(System.getProperty("dynstack.agent.jar")).args(args).run();
    }

    @Test
    void theTopLevelHelpListsEveryCommand() throws Exception {
        Run run = dynstack("--help");
        assertEquals(new Run(0, run.stdout(), ""), run);
        List<String> listed = run.stdout().lines().filter(l -> l.matches("  [a-z-]+ +.*"))
                .map(l -> l.trim().split(" ")[0]).toList();
        assertEquals(List.copyOf(OPTIONS.keySet()), listed);
    }

    @Test
    void everyCommandsHelpExitsZeroAndListsItsOptions() throws Exception {
        for (Map.Entry<String, List<String>> e : OPTIONS.entrySet()) {
            for (String help : List.of("--help", "-h")) {
                Run run = dynstack(e.getKey(), help);
                assertEquals(0, run.exit(), e.getKey() + " " + help + ": " + run.stderr());
                assertEquals("", run.stderr(), e.getKey() + " " + help);
                assertTrue(run.stdout().startsWith("usage: java -jar dynstack-agent.jar " + e.getKey()), run.stdout());
                for (String option : e.getValue()) {
                    assertTrue(run.stdout().contains(option + " ") || run.stdout().contains(option + "]"),
                            e.getKey() + " --help lists " + option + ":\n" + run.stdout());
                }
            }
        }
    }

    @Test
    void aBadOptionIsOneLineAndStatus2ForEveryCommand() throws Exception {
        for (String command : OPTIONS.keySet()) {
            Run run = dynstack(command, "--bogus", "x");
            assertEquals(2, run.exit(), command);
            assertEquals("", run.stdout(), command);
            assertEquals(1, run.stderr().lines().count(), command + ": " + run.stderr());
            assertTrue(run.stderr().startsWith("dynstack " + command + ": unknown option '--bogus'"), run.stderr());
        }
        Run unknown = dynstack("compair");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.stderr().startsWith("dynstack: unknown command 'compair'; commands: analyze,"), unknown.stderr());
    }

    @Test
    void compareRunsFromTheOneEntryPoint() throws Exception {
        Path out = dir.resolve("comparison");
        Run run = dynstack("compare", "--workloads", "many-idle", "--policies", "fixed-16k,dynamic-fault", "--set",
                "many-idle.threads=3", "--out", out.toString());
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().startsWith("dynstack comparison (simulation model, not a kernel measurement)"),
                run.stdout());
        JsonNode cells = MAPPER.readTree(out.resolve("comparison.json").toFile()).get("cells");
        assertEquals(2, cells.size());
        // Three futex waiters: 16 KiB each when fixed, one 4 KiB page each on demand.
        assertEquals(List.of("fixed-16k 3 49152", "dynamic-fault 3 12288"), List.of(
                cells.get(0).get("policy").asText() + " " + cells.get(0).get("stacks") + " " + cells.get(0).get("mapped_bytes"),
                cells.get(1).get("policy").asText() + " " + cells.get(1).get("stacks") + " " + cells.get(1).get("mapped_bytes")));
    }

    @Test
    void sweepQuickRunsFromTheOneEntryPoint() throws Exception {
        Path out = dir.resolve("sweep");
        Run run = dynstack("sweep", "--quick", "--chains", "recursive", "--thresholds", "100", "--out", out.toString());
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(3, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(1).startsWith("recursive,uninstrumented,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("recursive,100,"), rows.get(2));
        JsonNode points = MAPPER.readTree(out.resolve("sweep.json").toFile()).get("points");
        assertEquals(2, points.size());
    }
}

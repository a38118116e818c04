package io.dynstack.workloads.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import io.dynstack.workloads.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code Sweep --quick} as a user runs it from the benchmarks jar: JMH forks with the agent, the
 * child JVMs with {@code report=}, and the three files. Timings are only checked to exist; the
 * simulated figures of one op are exact.
 */
class SweepIT {

    @TempDir
    Path out;

    @Test
    void quickSweepWritesEveryRowAndAWellFormedChart() throws Exception {
        Path jar = Path.of("target", "dynstack-benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "package first: " + jar.toAbsolutePath());
        // Other builds on the machine may hold JMH's lock; a smoke run needs no exclusive use of it.
        Run sweep = ChildJvm.java().options("-Djmh.ignoreLock=true").main(jar.toString(), Sweep.class.getName())
                .args("--quick", "--out", out.toString(), "--agent", System.getProperty("dynstack.agent.jar"))
                .mergeStderr().run();
        String output = sweep.stdout();
        assertEquals(0, sweep.exit(), output);
        assertTrue(output.contains("[1/28] syscall-mix uninstrumented: timing"), output);
        assertTrue(output.contains("[28/28] real-work threshold=0: timing"), output);

        Map<String, String[]> rows = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(SweepOutput.CSV_HEADER, lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            rows.put(cells[0] + " " + cells[1], cells);
            assertTrue(Double.parseDouble(cells[2]) > 0, line);
        }
        assertEquals(4 * 4, lines.size() - 1, "four chains, each uninstrumented, accounting only, 100 and 0");
        assertEquals("1.0000", rows.get("recursive uninstrumented")[4]);
        assertEquals("", rows.get("recursive uninstrumented")[7], "no agent, no simulated figures");

        // checks_inserted, checks_executed, faults, panics of one op
        assertSimulated(rows, "syscall-mix none", 0, 0, 0, 0);
        // 15 of the 34 methods have a frame of 100 or more; 19 of the 33 frames of one op are theirs
        assertSimulated(rows, "syscall-mix 100", 15, 19, 0, 0);
        assertSimulated(rows, "syscall-mix 0", 34, 33, 0, 0);
        // 96 frames of 64 bytes, none checked at 100: the chain of small functions runs off the page
        assertSimulated(rows, "small-frames 100", 0, 0, 1, 0);
        assertSimulated(rows, "small-frames 0", 34, 97, 0, 0);
        // only run (128) is checked at 100; the 81 lookups of 80 bytes fault the second page in
        assertSimulated(rows, "recursive 100", 1, 1, 1, 0);
        assertSimulated(rows, "recursive 0", 3, 82, 0, 0);
        assertSimulated(rows, "real-work 100", 6, 6, 0, 0);
        assertSimulated(rows, "real-work 0", 10, 9, 0, 0);

        Document svg = SweepChartTest.parse(Files.readString(out.resolve("sweep.svg")));
        assertEquals("svg", svg.getDocumentElement().getLocalName());
        assertEquals(4 * 3, svg.getElementsByTagName("polyline").getLength());
        String json = Files.readString(out.resolve("sweep.json"));
        assertTrue(json.contains("\"chain\": \"real-work\""));
        assertEquals(Set.of(), Schemas.validate("sweep", json), json);
    }

    private static void assertSimulated(Map<String, String[]> rows, String row, long inserted, long executed,
                                        long faults, long panics) {
        String[] cells = rows.get(row);
        assertEquals(List.of(inserted, executed, faults, panics),
                List.of(Long.parseLong(cells[6]), Long.parseLong(cells[7]), Long.parseLong(cells[8]),
                        Long.parseLong(cells[9])), row);
    }
}

package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.workloads.bench.SweepChartTestAccess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** What the comparison prints and draws beyond the RFC's table, from given cells, without running any. */
class ComparisonOutputTest {

    private static CellResult cell(String workload, String policy, String status, long mappedKib, long panics,
                                   Map<String, Long> costs, long deviceBytes) {
        Map<String, Object> line = new HashMap<>();
        for (CellColumn c : CellColumn.values()) {
            line.put(c.key(), 0L);
        }
        line.putAll(Map.of("workload", workload, "status", status, "stacks", 4L, "base_bytes", 64L * 1024,
                "mapped_bytes", mappedKib * 1024, "peak_bytes", mappedKib * 1024, "panics", panics,
                "device_bytes", deviceBytes));
        line.put("panic", panics > 0 ? "no memory for stack growth in atomic context: x" : null);
        line.putAll(costs);
        return CellResult.parse(policy, line);
    }

    private static Compare.Options options(List<String> policies) {
        return new Compare.Options(List.of(), policies.stream().map(p -> Policy.parse(p, 100)).toList(), 100, 1,
                Path.of("target"), Path.of("agent.jar"), Map.of());
    }

    @Test
    void costsAreShownWhereTheDesignHasThemAndADashElsewhere() {
        List<CellResult> cells = List.of(
                cell("w", "dynamic-fault", "ok", 32, 0, Map.of(), 0),
                cell("w", "multiplex", "ok", 1, 0, Map.of("stacks_in_use", 0L, "peak_stacks_in_use", 2L,
                        "kept_bytes", 1024L, "wake_allocations", 4L, "entry_allocations", 800L), 0),
                cell("w", "rfc-spares+pressure", "panic", 96, 1, Map.of("spare_pages_taken", 3L,
                        "stash_pages_taken", 8L, "stash_locks", 9L, "refill_failures", 4L), 0));
        String costs = Compare.costs(options(List.of("dynamic-fault", "multiplex", "rfc-spares+pressure")), cells);
        List<String> lines = costs.lines().toList();
        assertEquals("costs only some designs have ('-': the design has no such cost; in use and kept as read with"
                + " every thread parked)", lines.get(1));
        assertEquals(List.of("workload", "policy", "in", "use", "peak", "use", "kept", "KiB", "wake", "alloc", "entry",
                "alloc", "switch-in", "alloc", "pages", "shootdowns", "spare", "pages", "stash", "pages", "stash",
                "locks", "stalls", "refill", "fail"), List.of(lines.get(3).trim().split(" +")));
        assertEquals(6, lines.size(), "a blank line, the title, a blank line, the header and two rows:"
                + " dynamic-fault has none of these costs and gets no row");
        assertEquals(List.of("w", "multiplex", "0", "2", "1", "4", "800", "-", "-", "-", "-", "-", "-", "-", "-"),
                List.of(lines.get(4).trim().split(" +")).subList(0, 15));
        assertEquals(List.of("w", "rfc-spares+pressure", "-", "-", "-", "-", "-", "-", "-", "-", "3", "8", "9", "0", "4"),
                List.of(lines.get(5).trim().split(" +")), "spares and pressure: stalls and refill failures apply");
        assertEquals("", Compare.costs(options(List.of("dynamic-fault")), cells.subList(0, 1)),
                "a run of the RFC's designs prints the table it always printed");
    }

    @Test
    void aDeviceWorkloadShowsStacksAsAShareOfItsMemory() {
        List<CellResult> cells = List.of(cell("android", "fixed-16k", "ok", 64, 0, Map.of(), 4L << 20),
                cell("android", "dynamic-fault", "ok", 20, 0, Map.of(), 4L << 20),
                cell("w", "dynamic-fault", "ok", 20, 0, Map.of(), 0));
        assertEquals("""

                android: kernel stacks as a share of the device's 4 MiB (fixed 16 KiB stacks: 64 KiB, 1.56%)

                policy                             mapped KiB    share   reduction
                fixed-16k                                  64    1.56%       0.00%
                dynamic-fault                              20    0.49%      68.75%
                """, Compare.deviceShares(options(List.of("fixed-16k", "dynamic-fault")), cells));
    }

    @Test
    void theChartHasABarPerCellWithPanicsAndStallsMarked() throws Exception {
        List<CellResult> cells = List.of(cell("w", "fixed-16k", "ok", 64, 0, Map.of(), 0),
                cell("w", "release-idle+pressure", "ok", 1, 0, Map.of("stalls", 4L), 0),
                cell("w", "dynamic-check+pressure", "panic", 16, 4, Map.of(), 0),
                CellResult.error("w", "multiplex", "timed out after 300 s"));
        Document svg = SweepChartTestAccess.parse(ComparisonChart.svg("threshold <100>", cells));
        NodeList bars = svg.getElementsByTagName("rect");
        assertEquals(1 + 3 + 3, bars.getLength(), "background, legend swatches, one bar per cell with figures");
        assertEquals("#ff7f0e", bars.item(5).getAttributes().getNamedItem("fill").getNodeValue(), "stalled");
        assertEquals("#d62728", bars.item(6).getAttributes().getNamedItem("fill").getNodeValue(), "panicked");
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("1 KiB, 98.44% saved, 4 stalls"), text);
        assertTrue(text.contains("16 KiB, 75.00% saved, 4 panics"), text);
        assertTrue(text.contains("no figures: timed out after 300 s"), text);
        assertTrue(text.contains("threshold <100>"), "the subtitle survives escaping");
    }
}

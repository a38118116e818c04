package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.linux.Snapshot;
import io.dynstack.agent.linux.SnapshotTable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot replayed as a workload, in its own JVM under the built agent. The fixture,
 * {@code replay-fixture.json}, has three kworkers parked in worker_thread (520 bytes each) and a
 * writer in direct reclaim, asleep in blk_mq_get_tag with the worst-case kstack offset: 4840
 * bytes, so its stack needs a second page, first touched by pageout() at depth 4280.
 */
class SnapshotWorkloadIT {

    private static Path fixture() throws URISyntaxException {
        return Path.of(SnapshotWorkloadIT.class.getResource("replay-fixture.json").toURI());
    }

    private static CellResult cell(String policy) throws URISyntaxException {
        Workload w = Workloads.byName(SnapshotWorkload.PREFIX + fixture());
        return WorkloadsIT.cell(w.name(), policy, Map.of());
    }

    @Test
    void fixedStacksMapAllOfThreadSizeForEachReplayedThread() throws URISyntaxException {
        CellResult r = cell("fixed-16k");
        assertEquals("ok", r.status(), r.toString());
        assertEquals(4, r.stacks());
        assertEquals(4 * 16 * 1024, r.mappedBytes());
        assertEquals(0, r.faults());
        assertEquals(4840, r.maxDepthBytes(), "the replay holds exactly the snapshot's frames");
        assertNull(r.panic());
    }

    @Test
    void faultTimeGrowthMapsThePagesTheRealDepthsNeed() throws URISyntaxException {
        CellResult r = cell("dynamic-fault");
        assertEquals("ok", r.status(), r.toString());
        assertEquals(4, r.stacks());
        assertEquals((3 + 2) * 4096, r.mappedBytes(), "a page per kworker, two for the writer");
        assertEquals(1, r.faults());
        assertEquals(1, r.grows());
        assertEquals(4840, r.maxDepthBytes());
    }

    /**
     * The shipped snapshot of the build machine replayed: the simulated stacks map what the
     * snapshot's own table worked out from the same chains (192 threads within one page each,
     * plus a reserve page per CPU), and the deepest thread is as deep as the snapshot says.
     */
    @Test
    void theShippedSnapshotMapsWhatItsTableSays() {
        Snapshot shipped = ((SnapshotWorkload) Workloads.byName("build-machine")).snapshot();
        SnapshotTable.Row row = SnapshotTable.rows(shipped).stream()
                .filter(r -> r.design().name().equals("dynamic-check+expand+reserve+park")).findFirst().orElseThrow();
        CellResult r = WorkloadsIT.cell("build-machine", "dynamic-check+expand+reserve+park", Map.of());
        assertEquals("ok", r.status(), r.toString());
        assertEquals(192, r.stacks());
        assertEquals((192 + 2) * 4096, r.mappedBytes());
        assertEquals(row.mappedBytes(), r.mappedBytes());
        assertEquals(2468, r.maxDepthBytes());
        assertEquals(shipped.chains().get(0).depth(), r.maxDepthBytes());
        assertEquals(0, r.faults() + r.grows() + r.panics());
    }

    @Test
    void aFileThatIsNotASnapshotIsOneLineBeforeAnyCellRuns(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "[1, 2]");
        String message = assertThrows(IllegalArgumentException.class,
                () -> Compare.parse(new String[] {"--workloads", SnapshotWorkload.PREFIX + bad})).getMessage();
        assertEquals(bad + ": not a dynstack snapshot (no \"format\": \"dynstack-snapshot\"); take one with the"
                + " snapshot command", message);
        assertTrue(Workloads.byName("build-machine").models().startsWith("a real machine's snapshot (6.18.44-fc-v657, "),
                Workloads.byName("build-machine").models());
    }
}

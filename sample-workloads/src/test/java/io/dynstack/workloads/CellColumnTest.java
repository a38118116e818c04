package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.agent.report.JsonText;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One cell's line, as the cell JVM prints it, through the column list into comparison.json, the CSV and the table. */
class CellColumnTest {

    private static final String LINE = "{\"workload\":\"w\",\"status\":\"panic\",\"stacks\":4,\"base_bytes\":65536,"
            + "\"mapped_bytes\":20480,\"peak_bytes\":24576,\"checks_executed\":7,\"grows\":2,\"faults\":1,\"panics\":1,"
            + "\"released_bytes\":4096,\"reserve_pages_taken\":3,\"reserve_refills\":1,\"max_depth_bytes\":5360,"
            + "\"wall_ms\":12,\"panic\":\"stack overflow: \\\"x\\\"\",\"stacks_in_use\":4,\"peak_stacks_in_use\":5,"
            + "\"kept_bytes\":2048,\"wake_allocations\":6,\"wake_pages\":7,\"entry_allocations\":8,\"entry_pages\":9,"
            + "\"switch_in_allocations\":10,\"switch_in_pages\":11,\"stalls\":12,\"reclaimed_bytes\":13,\"shootdowns\":14,"
            + "\"spare_pages_taken\":15,\"stash_pages_taken\":16,\"stash_locks\":17,\"refill_failures\":18,"
            + "\"device_bytes\":19}";

    private static final CellResult CELL = CellResult.parse("release-idle", JsonText.parseObject(LINE));

    private static final Compare.Options OPTIONS = new Compare.Options(List.of(), List.of(), 100, 1, Path.of("target"),
            Path.of("agent.jar"), Map.of());

    @Test
    void theJsonHasEveryColumnInOrderWithThePolicyAndTheSavingFilledIn() {
        assertEquals("{\"schema_version\":1,\"model\":\"simulation\",\"threshold\":100,\"reference_thread_size\":16384,"
                + "\"cells\":[{\"workload\":\"w\",\"policy\":\"release-idle\",\"status\":\"panic\",\"stacks\":4,"
                + "\"base_bytes\":65536,\"mapped_bytes\":20480,\"saving_percent\":68.75,\"peak_bytes\":24576,"
                + "\"checks_executed\":7,\"grows\":2,\"faults\":1,\"panics\":1,\"released_bytes\":4096,"
                + "\"reserve_pages_taken\":3,\"reserve_refills\":1,\"max_depth_bytes\":5360,\"wall_ms\":12,"
                + "\"panic\":\"stack overflow: \\\"x\\\"\",\"stacks_in_use\":4,\"peak_stacks_in_use\":5,\"kept_bytes\":2048,"
                + "\"wake_allocations\":6,\"wake_pages\":7,\"entry_allocations\":8,\"entry_pages\":9,"
                + "\"switch_in_allocations\":10,\"switch_in_pages\":11,\"stalls\":12,\"reclaimed_bytes\":13,"
                + "\"shootdowns\":14,\"spare_pages_taken\":15,\"stash_pages_taken\":16,\"stash_locks\":17,"
                + "\"refill_failures\":18,\"device_bytes\":19}]}", Compare.json(OPTIONS, List.of(CELL)));
    }

    @Test
    void theCsvHasTheSameColumnsWithSomeBytesInKibAndThePanicQuoted() {
        assertEquals("""
                workload,policy,status,stacks,base_kib,mapped_kib,saving_percent,peak_kib,checks_executed,grows,faults,\
                panics,released_kib,reserve_pages_taken,reserve_refills,max_depth_bytes,wall_ms,panic,stacks_in_use,\
                peak_stacks_in_use,kept_bytes,wake_allocations,wake_pages,entry_allocations,entry_pages,\
                switch_in_allocations,switch_in_pages,stalls,reclaimed_bytes,shootdowns,spare_pages_taken,\
                stash_pages_taken,stash_locks,refill_failures,device_bytes
                w,release-idle,panic,4,64,20,68.75,24,7,2,1,1,4,3,1,5360,12,"stack overflow: ""x""\",4,5,2048,6,7,8,9,\
                10,11,12,13,14,15,16,17,18,19
                """, Compare.csv(List.of(CELL)));
    }

    @Test
    void theTableShowsItsColumnsInKibWithThePanicBelow() {
        assertEquals("""
                dynstack comparison (simulation model, not a kernel measurement): threshold 100, saving against fixed 16 KiB stacks

                workload           policy                              stacks   base KiB mapped KiB   saving   peak KiB    checks  grows faults panics  wall ms
                w                  release-idle                             4         64         20   68.75%         24         7      2      1      1       12
                    PANIC: stack overflow: "x"
                """, Compare.table(OPTIONS, List.of(CELL)));
    }

    @Test
    void theCostsTableShowsTheCostsOfTheDesignUnderTheirColumnsHeaders() {
        Compare.Options options = new Compare.Options(List.of(), List.of(Policy.parse("release-idle", 100)), 100, 1,
                Path.of("target"), Path.of("agent.jar"), Map.of());
        assertEquals(List.of("w", "release-idle", "4", "5", "2", "6", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
                List.of(Compare.costs(options, List.of(CELL)).lines().toList().get(4).trim().split(" +")),
                "in use, peak use, kept KiB (2048 bytes: 2), wake alloc; nothing else applies to release-idle");
    }
}

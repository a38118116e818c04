package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynstack.testsupport.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --population FILE} through the one command line: the example population under
 * three designs, and a population of real chains alone, with figures worked out by hand.
 *
 * <p>The frames are the kernel data's (6.12.117, full frames): the futex chain
 * entry_SYSCALL_64 176, do_syscall_64 48, __x64_sys_futex 120, do_futex 32, futex_wait 144,
 * __futex_wait 192, futex_wait_queue 40, schedule 16, __schedule 120: 888 bytes, of which five
 * frames are at least 100 (176, 120, 144, 192, 120); the pipe chain entry_SYSCALL_64 176,
 * do_syscall_64 48, ksys_read 56, vfs_read 160, pipe_read 152, schedule 16, __schedule 120: 728
 * bytes, four frames of at least 100 (176, 160, 152, 120).
 */
class PopulationIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private List<JsonNode> compare(Path population, String policies) throws Exception {
        Path out = dir.resolve("out-" + policies);
        Run run = CommandLineIT.dynstack("compare", "--population", population.toString(), "--policies", policies,
                "--out", out.toString());
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        List<JsonNode> cells = new ArrayList<>();
        MAPPER.readTree(out.resolve("comparison.json").toFile()).get("cells").forEach(cells::add);
        return cells;
    }

    private static String figures(JsonNode cell, String... keys) {
        StringBuilder s = new StringBuilder(cell.get("policy").asText());
        for (String key : keys) {
            s.append(' ').append(key).append('=').append(cell.get(key).asText());
        }
        return s.toString();
    }

    @Test
    void theExamplePopulationRunsUnderEveryDesignGiven() throws Exception {
        List<JsonNode> cells = compare(Path.of("populations", "example.json"), "fixed-16k,dynamic-fault,release-idle");
        // Six threads: 2 kworkers, 3 futex sleepers on the real futex chain, 1 pipe reader in a kernel sleep.
        // fixed: 6 x 16 KiB. dynamic-fault: all within a page, 6 x 4 KiB. release-idle: the futex sleepers give
        // their 16 KiB back and keep 256 bytes each, the other three keep 16 KiB: 3 x 16384 + 3 x 256.
        assertEquals(List.of(
                "fixed-16k status=ok stacks=6 base_bytes=98304 mapped_bytes=98304 panics=0 kept_bytes=0",
                "dynamic-fault status=ok stacks=6 base_bytes=98304 mapped_bytes=24576 panics=0 kept_bytes=0",
                "release-idle status=ok stacks=6 base_bytes=98304 mapped_bytes=49920 panics=0 kept_bytes=768"),
                cells.stream().map(c -> figures(c, "status", "stacks", "base_bytes", "mapped_bytes", "panics",
                        "kept_bytes")).toList());
        assertEquals("population:populations/example.json", cells.get(0).get("workload").asText());
        assertEquals(3, cells.get(2).get("stacks_in_use").asInt(), "release-idle: the three that do not sleep in futex");
    }

    @Test
    void chainsRunWithTheirRealFramesAndChecks() throws Exception {
        Path population = Files.writeString(dir.resolve("chains.json"), """
                {"schema_version": 1, "cpus": 2, "groups": [
                  {"name": "pool", "count": 3, "sleeps": "futex", "chain": ["entry_SYSCALL_64", "do_syscall_64",
                    "__x64_sys_futex", "do_futex", "futex_wait", "__futex_wait", "futex_wait_queue", "schedule", "__schedule"]},
                  {"name": "reader", "count": 1, "chain": ["entry_SYSCALL_64", "do_syscall_64", "ksys_read", "vfs_read",
                    "pipe_read", "schedule", "__schedule"]}]}
                """);
        List<JsonNode> cells = compare(population, "dynamic-check");
        // Checks at threshold 100: 3 x 5 + 1 x 4; the deepest is the futex chain's 888 bytes; one page each.
        assertEquals(List.of("dynamic-check status=ok stacks=4 mapped_bytes=16384 checks_executed=19 max_depth_bytes=888"
                + " grows=0 faults=0"), cells.stream().map(c -> figures(c, "status", "stacks", "mapped_bytes",
                "checks_executed", "max_depth_bytes", "grows", "faults")).toList());
    }

    @Test
    void aBadPopulationStopsCompareWithItsLineAndStatus2() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"schema_version": 1, "groups": [{"name": "g", "count": 0, "task": "futex-wait"}]}
                """);
        Run run = CommandLineIT.dynstack("compare", "--population", bad.toString(), "--out", dir.toString());
        assertEquals(new Run(2, "", "dynstack compare: population " + bad
                + ": groups[0].count: a whole number from 1 to 10000000, not 0\n"), run);
    }
}

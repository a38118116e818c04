package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The population file: what it makes of a good one, and the one line for each kind of bad one. */
class PopulationTest {

    private static final Path EXAMPLE = Path.of("populations", "example.json");
    private static final String TASKS = "kthread, kworker, rcu-gp, kswapd, jbd2, futex-wait, epoll-wait, binder-wait,"
            + " syscall-mix, direct-reclaim, small-frame-chain, deep-io, interrupts";
    private static final String GROUP = "{\"name\": \"g\", \"count\": 2, \"task\": \"futex-wait\"}";

    @TempDir
    Path dir;

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> Population.parse(json, "p.json")).getMessage();
    }

    private static String withGroup(String group) {
        return "{\"schema_version\": 1, \"cpus\": 2, \"groups\": [" + group + "]}";
    }

    @Test
    void theExampleHasItsThreadsOnTheirCpus() {
        Population p = Population.file(EXAMPLE.toString());
        assertEquals("population:" + EXAMPLE, p.name());
        assertEquals(2, p.cpus(p.defaults()));
        assertEquals("example: a small server: 6 threads in 3 groups, from " + EXAMPLE, p.models());
        List<Workload.Task> tasks = p.tasks(p.defaults());
        // Thread j on CPU j % 2, except pipe-reader, which the file puts on CPU 1.
        assertEquals(List.of("kworker-0 0", "kworker-1 1", "java-pool-0 0", "java-pool-1 1", "java-pool-2 0",
                "pipe-reader-0 1"), tasks.stream().map(t -> t.name() + " " + t.cpu()).toList());
    }

    @Test
    void theExampleIsValidAgainstItsSchema() throws Exception {
        assertEquals(java.util.Set.of(), Schemas.validate("population", Files.readString(EXAMPLE)));
    }

    @Test
    void eachBadFileIsOneLineNamingTheFieldAndWhatItTakes() {
        String p = "population p.json: ";
        assertEquals(p + "not valid JSON at character 1: expected a member name",
                error("{"));
        // The second "cpus" starts at offset 33, counted from 0 as the reader counts.
        assertEquals(p + "not valid JSON at character 33: the member \"cpus\" appears twice; give each member once",
                error("{\"schema_version\": 1, \"cpus\": 2, \"cpus\": 4, \"groups\": [" + GROUP + "]}"));
        assertEquals(p + "the file: unknown field \"cpu\"; fields: schema_version, name, cpus, groups",
                error("{\"schema_version\": 1, \"cpu\": 2, \"groups\": [" + GROUP + "]}"));
        assertEquals(p + "schema_version: 1, not null", error("{\"groups\": [" + GROUP + "]}"));
        assertEquals(p + "schema_version: 1, not 2", error("{\"schema_version\": 2, \"groups\": [" + GROUP + "]}"));
        assertEquals(p + "cpus: a whole number from 1 to 100000, not 0",
                error("{\"schema_version\": 1, \"cpus\": 0, \"groups\": [" + GROUP + "]}"));
        assertEquals(p + "groups: a non-empty array of groups, not an array", error("{\"schema_version\": 1, \"groups\": []}"));
        assertEquals(p + "groups[0]: unknown field \"cout\"; fields: name, count, cpu, task, params, chain, sleeps",
                error(withGroup("{\"name\": \"g\", \"cout\": 2, \"task\": \"futex-wait\"}")));
        assertEquals(p + "groups[0].count: a whole number from 1 to 10000000, not \"4\"",
                error(withGroup("{\"name\": \"g\", \"count\": \"4\", \"task\": \"futex-wait\"}")));
        assertEquals(p + "groups[0].count: a whole number from 1 to 10000000, not 0",
                error(withGroup("{\"name\": \"g\", \"count\": 0, \"task\": \"futex-wait\"}")));
        assertEquals(p + "groups[0].count: a whole number from 1 to 10000000, not -3",
                error(withGroup("{\"name\": \"g\", \"count\": -3, \"task\": \"futex-wait\"}")));
        assertEquals(p + "groups[0].count: missing; how many threads, at least 1",
                error(withGroup("{\"name\": \"g\", \"task\": \"futex-wait\"}")));
        assertEquals(p + "groups[0].name: a non-empty string, not 7",
                error(withGroup("{\"name\": 7, \"count\": 1, \"task\": \"futex-wait\"}")));
        assertEquals(p + "groups[0].cpu: a whole number from 0 to 1, not 2",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"cpu\": 2, \"task\": \"futex-wait\"}")));
        assertEquals(p + "groups[0].task: unknown task \"futex\"; tasks: " + TASKS,
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"task\": \"futex\"}")));
        assertEquals(p + "groups[0].params.cals: syscall-mix takes calls",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"task\": \"syscall-mix\", \"params\": {\"cals\": 5}}")));
        assertEquals(p + "groups[0].params.loops: a whole number from 0 to 1000000000, not 1.5",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"task\": \"deep-io\", \"params\": {\"loops\": 1.5}}")));
        assertEquals(p + "groups[0]: give either \"task\" (a built-in task) or \"chain\" (Linux functions, outermost"
                + " first), not both",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"task\": \"kworker\", \"chain\": [\"schedule\"]}")));
        assertEquals(p + "groups[0]: give either \"task\" (a built-in task) or \"chain\" (Linux functions, outermost"
                + " first), one of them", error(withGroup("{\"name\": \"g\", \"count\": 1}")));
        assertEquals(p + "groups[0].chain[1]: no function \"do_syscall_6\" in the kernel data"
                + " 6.12.117+deb12-cloud-amd64 (the agent jar's); a name as /proc/PID/stack or a stack trace prints it",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"chain\": [\"entry_SYSCALL_64\", \"do_syscall_6\"]}")));
        assertEquals(p + "groups[0].chain: a non-empty array of Linux function names, outermost first, not \"schedule\"",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"chain\": \"schedule\"}")));
        assertEquals(p + "groups[0].sleeps: one of futex, epoll, kernel, running, not \"idle\"",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"chain\": [\"schedule\"], \"sleeps\": \"idle\"}")));
        assertEquals(p + "groups[0].sleeps: only for a chain; a task ends where it parks",
                error(withGroup("{\"name\": \"g\", \"count\": 1, \"task\": \"kworker\", \"sleeps\": \"futex\"}")));
        assertEquals(p + "groups[1]: a group is an object with name, count and a task or a chain, not \"g\"",
                error(withGroup(GROUP + ", \"g\"")));
    }

    @Test
    void aFileThatCannotBeReadIsOneLine() throws Exception {
        Path missing = dir.resolve("missing.json");
        assertEquals("population " + missing + ": no such file",
                assertThrows(IllegalArgumentException.class, () -> Population.file(missing.toString())).getMessage());
        Path binary = Files.write(dir.resolve("binary.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertEquals("population " + binary + ": not UTF-8 text; a population is a JSON file",
                assertThrows(IllegalArgumentException.class, () -> Population.file(binary.toString())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Population.file(dir.toString())).getMessage()
                .startsWith("population " + dir + ": cannot read it ("));
    }

    @Test
    void theWorkloadNameRunsTheFile() {
        assertEquals("population:" + EXAMPLE, Workloads.byName("population:" + EXAMPLE).name());
    }
}

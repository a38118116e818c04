package io.dynstack.workloads;

import static io.dynstack.workloads.kernel.Syscalls.BINDER_WAIT;
import static io.dynstack.workloads.kernel.Syscalls.EPOLL_WAIT;
import static io.dynstack.workloads.kernel.Syscalls.FUTEX_WAIT;

import io.dynstack.agent.linux.KernelData;
import io.dynstack.agent.linux.Replay;
import io.dynstack.agent.linux.Snapshot;
import io.dynstack.agent.report.JsonText;
import io.dynstack.runtime.Json;
import io.dynstack.runtime.Wait;
import io.dynstack.workloads.kernel.Kthreads;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A thread population from a JSON file ({@code population.schema.json}): groups of threads, each
 * group a count, a CPU and what its threads do, either a built-in task (what a thread of one of
 * the built-in workloads does, ending parked) or a chain of Linux functions replayed through the
 * imported kernel classes as a snapshot's chains are, parked at its innermost function. So a
 * machine is modelled without Java; {@code compare --population FILE} runs it under every design.
 *
 * <p>The file is read and checked in full when the workload is made, before any cell runs: a bad
 * file is one {@link IllegalArgumentException} naming the field and what it accepts.
 */
final class Population implements Workload {

    /** A workload name {@code population:FILE} runs the population in FILE. */
    static final String PREFIX = "population:";
    static final int SCHEMA_VERSION = 1;

    /** A built-in task: what it is, its parameters with their defaults, and thread i's body. */
    private record Task(String what, Map<String, Integer> defaults, Body body) {
    }

    private interface Body {
        Runnable of(int i, Map<String, Integer> params);
    }

    private static final Map<String, Task> TASKS = new LinkedHashMap<>();

    static {
        task("kthread", "a per-CPU kthread (ksoftirqd, migration, cpuhp) parked in schedule(), as in idle-boot",
                Map.of(), (i, p) -> () -> Kthreads.retFromForkAsm(Kthreads.SMPBOOT));
        task("kworker", "a workqueue worker parked in schedule(), as in idle-boot",
                Map.of(), (i, p) -> () -> Kthreads.retFromForkAsm(Kthreads.WORKER));
        task("rcu-gp", "an RCU grace-period kthread, as in idle-boot",
                Map.of(), (i, p) -> () -> Kthreads.retFromForkAsm(Kthreads.RCU_GP));
        task("kswapd", "kswapd, which reclaimed once, as in idle-boot",
                Map.of(), (i, p) -> () -> Kthreads.retFromForkAsm(Kthreads.KSWAPD));
        task("jbd2", "a jbd2 thread that committed once through a loop-mounted journal, as in idle-boot",
                Map.of(), (i, p) -> () -> Kthreads.retFromForkAsm(Kthreads.JBD2));
        task("futex-wait", "a user thread in futex wait, as in many-idle",
                Map.of(), (i, p) -> () -> Workloads.syscall(FUTEX_WAIT, i));
        task("epoll-wait", "a user thread in epoll wait, as idle-boot's services",
                Map.of(), (i, p) -> () -> Workloads.syscall(EPOLL_WAIT, 1));
        task("binder-wait", "a binder pool thread waiting for a transaction, as in android",
                Map.of(), (i, p) -> () -> Workloads.syscall(BINDER_WAIT, i));
        task("syscall-mix", "a thread of syscall-mix: read, write, poll and openat in turn, `calls` times, then futex wait",
                Map.of("calls", 2000), (i, p) -> Workloads.syscallMixThread(i, p.get("calls")));
        task("direct-reclaim", "a writer of direct-reclaim: `calls` writes, every 100th through direct reclaim, then futex wait",
                Map.of("calls", 200), (i, p) -> Workloads.directReclaimThread(i, p.get("calls")));
        task("small-frame-chain", "a thread of small-frame-chain: a read, an ioctl through `helpers` small helpers, then futex wait",
                Map.of("helpers", 100), (i, p) -> Workloads.smallFrameChainThread(i, p.get("helpers")));
        task("deep-io", "a thread of deep-io: `calls` stacked writes through `loops` loop devices, alternating with KVM_RUN, then futex wait",
                Map.of("loops", 8, "calls", 50), (i, p) -> Workloads.deepIoThread(i, p.get("loops"), p.get("calls")));
        task("interrupts", "a reader of interrupts: `calls` reads, every fifth taking the NVMe and NET_RX interrupts, then futex wait",
                Map.of("calls", 500), (i, p) -> Workloads.interruptsThread(i, p.get("calls")));
    }

    private static void task(String name, String what, Map<String, Integer> defaults, Body body) {
        // Sorted, so that messages and --help list the parameters the same way on every run.
        TASKS.put(name, new Task(what, Collections.unmodifiableMap(new TreeMap<>(defaults)), body));
    }

    /** Where a chain's threads end: parked in a futex, epoll or other kernel sleep, or running. */
    private static final Map<String, Wait> SLEEPS = new LinkedHashMap<>();

    static {
        SLEEPS.put("futex", Wait.FUTEX);
        SLEEPS.put("epoll", Wait.EPOLL);
        SLEEPS.put("kernel", Wait.KERNEL);
        SLEEPS.put("running", null);
    }

    private static final Set<String> TOP = Set.of("schema_version", "name", "cpus", "groups");
    private static final Set<String> GROUP = Set.of("name", "count", "cpu", "task", "params", "chain", "sleeps");

    /**
     * One group. {@code cpu} is -1 where the file gives none (thread j of the population on CPU j % cpus);
     * {@code chain} is null for a task, {@code task} null for a chain.
     */
    private record Group(String name, int count, int cpu, String task, Map<String, Integer> params,
                         List<String> chain, String sleeps) {
    }

    private final String path;
    private final String title;
    private final int cpus;
    private final List<Group> groups;
    private List<SnapshotWorkload.Step> chains;

    private Population(String path, String title, int cpus, List<Group> groups) {
        this.path = path;
        this.title = title;
        this.cpus = cpus;
        this.groups = groups;
    }

    /** The population in {@code path}; a bad file is one IllegalArgumentException line. */
    static Population file(String path) {
        String text;
        try {
            text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("population " + path + ": no such file");
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("population " + path + ": not UTF-8 text; a population is a JSON file");
        } catch (IOException e) {
            throw new IllegalArgumentException("population " + path + ": cannot read it (" + e + ")");
        }
        return parse(text, path);
    }

    static Population parse(String text, String path) {
        String where = "population " + path + ": ";
        Object root;
        try {
            root = JsonText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(where + "the file is a JSON object with schema_version, cpus and groups");
        }
        known(where, "the file", top, TOP, "schema_version, name, cpus, groups");
        Object version = top.get("schema_version");
        if (!(version instanceof Long v) || v != SCHEMA_VERSION) {
            throw new IllegalArgumentException(where + "schema_version: " + SCHEMA_VERSION + ", not " + shown(version));
        }
        String title = top.containsKey("name") ? string(where, "name", top.get("name")) : path;
        int cpus = top.containsKey("cpus") ? number(where, "cpus", top.get("cpus"), 1, 100_000) : 1;
        if (!(top.get("groups") instanceof List<?> items) || items.isEmpty()) {
            throw new IllegalArgumentException(where + "groups: a non-empty array of groups, not " + shown(top.get("groups")));
        }
        KernelData data = null;
        Map<String, Integer> index = null;
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < items.size(); g++) {
            String at = "groups[" + g + "]";
            if (!(items.get(g) instanceof Map<?, ?> group)) {
                throw new IllegalArgumentException(where + at + ": a group is an object with name, count and a task or"
                        + " a chain, not " + shown(items.get(g)));
            }
            known(where, at, group, GROUP, "name, count, cpu, task, params, chain, sleeps");
            if (!group.containsKey("name")) {
                throw new IllegalArgumentException(where + at + ".name: missing; a group needs a name for its threads");
            }
            String name = string(where, at + ".name", group.get("name"));
            if (!group.containsKey("count")) {
                throw new IllegalArgumentException(where + at + ".count: missing; how many threads, at least 1");
            }
            int count = number(where, at + ".count", group.get("count"), 1, 10_000_000);
            int cpu = group.containsKey("cpu") ? number(where, at + ".cpu", group.get("cpu"), 0, cpus - 1) : -1;
            boolean task = group.containsKey("task");
            if (task == group.containsKey("chain")) {
                throw new IllegalArgumentException(where + at + ": give either \"task\" (a built-in task) or \"chain\""
                        + " (Linux functions, outermost first), " + (task ? "not both" : "one of them"));
            }
            if (task) {
                if (group.containsKey("sleeps")) {
                    throw new IllegalArgumentException(where + at + ".sleeps: only for a chain; a task ends where it parks");
                }
                String taskName = string(where, at + ".task", group.get("task"));
                Task t = TASKS.get(taskName);
                if (t == null) {
                    throw new IllegalArgumentException(where + at + ".task: unknown task \"" + taskName + "\"; tasks: "
                            + String.join(", ", TASKS.keySet()));
                }
                Map<String, Integer> params = new TreeMap<>(t.defaults());
                if (group.containsKey("params")) {
                    if (!(group.get("params") instanceof Map<?, ?> given)) {
                        throw new IllegalArgumentException(where + at + ".params: an object of the task's parameters, not "
                                + shown(group.get("params")));
                    }
                    for (Map.Entry<?, ?> e : given.entrySet()) {
                        String key = (String) e.getKey();
                        if (!params.containsKey(key)) {
                            throw new IllegalArgumentException(where + at + ".params." + key + ": " + taskName + " takes "
                                    + (params.isEmpty() ? "no parameters" : String.join(", ", params.keySet())));
                        }
                        params.put(key, number(where, at + ".params." + key, e.getValue(), 0, 1_000_000_000));
                    }
                }
                groups.add(new Group(name, count, cpu, taskName, params, null, null));
            } else {
                if (group.containsKey("params")) {
                    throw new IllegalArgumentException(where + at + ".params: only for a task; a chain takes none");
                }
                if (!(group.get("chain") instanceof List<?> names) || names.isEmpty()) {
                    throw new IllegalArgumentException(where + at + ".chain: a non-empty array of Linux function names,"
                            + " outermost first, not " + shown(group.get("chain")));
                }
                if (data == null) {
                    data = SnapshotWorkload.carriedData();
                    index = data.indexByName();
                }
                List<String> chain = new ArrayList<>();
                for (int f = 0; f < names.size(); f++) {
                    String function = string(where, at + ".chain[" + f + "]", names.get(f));
                    if (data.lookup(function, index) == null) {
                        throw new IllegalArgumentException(where + at + ".chain[" + f + "]: no function \"" + function
                                + "\" in the kernel data " + data.header().release() + " (the agent jar's); a name as"
                                + " /proc/PID/stack or a stack trace prints it");
                    }
                    chain.add(function);
                }
                String sleeps = group.containsKey("sleeps") ? string(where, at + ".sleeps", group.get("sleeps")) : "kernel";
                if (!SLEEPS.containsKey(sleeps)) {
                    throw new IllegalArgumentException(where + at + ".sleeps: one of " + String.join(", ", SLEEPS.keySet())
                            + ", not \"" + sleeps + "\"");
                }
                groups.add(new Group(name, count, cpu, null, Map.of(), List.copyOf(chain), sleeps));
            }
        }
        return new Population(path, title, cpus, List.copyOf(groups));
    }

    private static void known(String where, String at, Map<?, ?> object, Set<String> keys, String listed) {
        for (Object key : object.keySet()) {
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(where + at + ": unknown field \"" + key + "\"; fields: " + listed);
            }
        }
    }

    private static String string(String where, String field, Object value) {
        if (value instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new IllegalArgumentException(where + field + ": a non-empty string, not " + shown(value));
    }

    private static int number(String where, String field, Object value, int min, int max) {
        if (value instanceof Long n && n >= min && n <= max) {
            return (int) (long) n;
        }
        throw new IllegalArgumentException(where + field + ": a whole number from " + min + " to " + max + ", not "
                + shown(value));
    }

    /** A value as the file has it, for messages. */
    private static String shown(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return new Json().value(s).toString();
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        return value.toString();
    }

    @Override
    public String name() {
        return PREFIX + path;
    }

    @Override
    public String models() {
        return title + ": " + groups.stream().mapToInt(Group::count).sum() + " threads in " + groups.size()
                + " groups, from " + path;
    }

    @Override
    public Map<String, Integer> defaults() {
        return Map.of();
    }

    @Override
    public int cpus(Map<String, Integer> params) {
        return cpus;
    }

    /** Thread k of a group is named NAME-k; thread j of the population runs on the group's CPU, else on j % cpus. */
    @Override
    public List<Workload.Task> tasks(Map<String, Integer> params) {
        List<SnapshotWorkload.Step> steps = chains();
        List<Workload.Task> tasks = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            for (int k = 0; k < group.count(); k++) {
                int cpu = group.cpu() >= 0 ? group.cpu() : tasks.size() % cpus;
                Runnable body = group.task() != null
                        ? TASKS.get(group.task()).body().of(k, group.params()) : steps.get(g)::run;
                tasks.add(new Workload.Task(group.name() + "-" + k, cpu, body));
            }
        }
        return tasks;
    }

    /** Each chain group's replay, built once: the imported classes are generated only when a group has a chain. */
    private synchronized List<SnapshotWorkload.Step> chains() {
        if (chains == null) {
            List<SnapshotWorkload.Step> steps = new ArrayList<>();
            Replay replay = null;
            for (Group group : groups) {
                if (group.chain() == null) {
                    steps.add(null);
                    continue;
                }
                if (replay == null) {
                    replay = SnapshotWorkload.imported(SnapshotWorkload.carriedData());
                }
                List<Snapshot.Frame> frames = group.chain().stream()
                        .map(f -> new Snapshot.Frame(f, f, 0, Snapshot.Kind.LISTED)).toList();
                Wait wait = SLEEPS.get(group.sleeps());
                steps.add(SnapshotWorkload.Step.of(replay, frames,
                        new SnapshotWorkload.Leaf(wait != null, wait == null ? Wait.KERNEL : wait, false)));
            }
            chains = steps;
        }
        return chains;
    }

    /** The built-in tasks with one line each, for compare --help. */
    static String taskList() {
        StringBuilder out = new StringBuilder();
        TASKS.forEach((name, t) -> out.append(String.format(Locale.ROOT, "    %-18s %s%s%n", name, t.what(),
                t.defaults().isEmpty() ? "" : "; params " + t.defaults().toString().replaceAll("[{}]", ""))));
        return out.toString().stripTrailing();
    }
}

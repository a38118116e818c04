package io.dynstack.workloads;

import io.dynstack.runtime.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The main job: every workload under every policy, each cell in its own JVM under the agent,
 * printed side by side as the RFC printed its table, and written as JSON and CSV.
 */
public final class Compare {

    /** Of comparison.json, as comparison.schema.json has it: bumped when a key changes meaning or goes away. */
    static final int SCHEMA_VERSION = 1;
    private static final long CELL_TIMEOUT_SECONDS = 300;
    private static final String USAGE = """
            usage: java -jar dynstack-agent.jar compare [--workloads a,b] [--population FILE] [--policies x,y]
                           [--threshold N] [--jobs N] [--out DIR] [--agent JAR] [--set workload.param=N ...]
              --workloads a,b     the workloads to run (snapshot:FILE replays a snapshot, population:FILE a population)
              --population FILE   a thread population (see the README), run alone unless --workloads names more
              --policies x,y      the stack designs
              --threshold N       frame size in bytes at or above which the check designs check
              --jobs N            cells run at a time
              --out DIR           where comparison.json, comparison.csv and comparison.svg go
              --agent JAR         the agent jar the cells run under
              --set w.param=N     a workload's parameter (repeatable)
              workloads: %s
              population tasks (a group's "task"; a group's "chain" is Linux functions, outermost first):
            %s
              policies:
            %s
                all but the fixed ones take +reserve[=N], +park and +pressure[=N] (no free page, or N, for stack
                memory once the stacks exist), e.g. dynamic-check+expand+reserve+park or rfc-spares+pressure
              defaults:  all workloads; policies %s; threshold 100; jobs = CPUs; out target/comparison""";

    /** A cost only some designs have, and which designs have it; its header and format are the column's. */
    private record CostColumn(CellColumn column, Predicate<Policy> applies) {
    }

    private static final Predicate<Policy> GIVES_BACK = p -> p.has("idle=release") || p.has("idle=multiplex");
    private static final Predicate<Policy> RECLAIMS = p -> p.sets("reclaim");
    private static final Predicate<Policy> SPARES = p -> p.sets("spares");
    private static final Predicate<Policy> BOUNDED = p -> p.sets("free_pages");
    private static final List<CostColumn> COSTS = List.of(
            new CostColumn(CellColumn.STACKS_IN_USE, GIVES_BACK),
            new CostColumn(CellColumn.PEAK_STACKS_IN_USE, GIVES_BACK),
            new CostColumn(CellColumn.KEPT_BYTES, GIVES_BACK),
            new CostColumn(CellColumn.WAKE_ALLOCATIONS, GIVES_BACK),
            new CostColumn(CellColumn.ENTRY_ALLOCATIONS, p -> p.has("idle=multiplex")),
            new CostColumn(CellColumn.SWITCH_IN_ALLOCATIONS, RECLAIMS),
            new CostColumn(CellColumn.SWITCH_IN_PAGES, RECLAIMS),
            new CostColumn(CellColumn.SHOOTDOWNS, RECLAIMS),
            new CostColumn(CellColumn.SPARE_PAGES_TAKEN, SPARES),
            new CostColumn(CellColumn.STASH_PAGES_TAKEN, SPARES),
            new CostColumn(CellColumn.STASH_LOCKS, SPARES),
            new CostColumn(CellColumn.STALLS, BOUNDED),
            new CostColumn(CellColumn.REFILL_FAILURES, BOUNDED.and(SPARES.or(p -> p.sets("reserve")))));

    private static final List<String> OPTIONS = List.of("--workloads", "--population", "--policies", "--threshold",
            "--jobs", "--out", "--agent", "--set");
    private static final String HELP = "run with --help for the options";

    record Options(List<Workload> workloads, List<Policy> policies, int threshold, int jobs, Path out, Path agent,
                   Map<String, Map<String, Integer>> params) {
    }

    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage());
            return;
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("dynstack compare: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<CellResult> results = run(options, System.err);
        System.out.print(table(options, results));
        System.out.print(costs(options, results));
        System.out.print(deviceShares(options, results));
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("comparison.json"), json(options, results) + "\n");
        Files.writeString(options.out().resolve("comparison.csv"), csv(results));
        Files.writeString(options.out().resolve("comparison.svg"), ComparisonChart.svg(String.format(Locale.ROOT,
                "threshold %d; saving against fixed 16 KiB stacks", options.threshold()), results));
        System.out.println("written: " + options.out().resolve("comparison.json") + ", "
                + options.out().resolve("comparison.csv") + ", " + options.out().resolve("comparison.svg"));
    }

    static Options parse(String[] args) {
        List<Workload> workloads = null;
        Workload population = null;
        List<String> policyNames = Policy.DEFAULTS;
        int threshold = 100;
        int jobs = Runtime.getRuntime().availableProcessors();
        Path out = Path.of("target", "comparison");
        Path agent = null;
        Map<String, Map<String, Integer>> params = new LinkedHashMap<>();
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!OPTIONS.contains(arg)) {
                throw new IllegalArgumentException("unknown option '" + arg + "'; " + HELP);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + arg + " needs a value; " + HELP);
            }
            if (!given.add(arg) && !arg.equals("--set")) {
                throw new IllegalArgumentException("option " + arg + " is given twice; only --set may repeat");
            }
            String value = args[++i];
            switch (arg) {
                case "--workloads" -> workloads = List.of(value.split(",")).stream().map(Workloads::byName).toList();
                case "--population" -> population = Population.file(value);
                case "--policies" -> policyNames = List.of(value.split(","));
                case "--threshold" -> threshold = number(arg, value, 0);
                case "--jobs" -> jobs = number(arg, value, 1);
                case "--out" -> out = Path.of(value);
                case "--agent" -> agent = Path.of(value);
                case "--set" -> {
                    int dot = value.indexOf('.');
                    if (dot < 0) {
                        throw new IllegalArgumentException("--set takes workload.param=N, not '" + value + "'");
                    }
                    Workload w = Workloads.byName(value.substring(0, dot));
                    Map<String, Integer> p = params.computeIfAbsent(w.name(), k -> new LinkedHashMap<>(w.defaults()));
                    p.putAll(Cell.params(w, List.of(value.substring(dot + 1))));
                }
            }
        }
        if (population != null) {
            workloads = new ArrayList<>(workloads == null ? List.of() : workloads);
            workloads.add(population);
        } else if (workloads == null) {
            workloads = Workloads.all();
        }
        int t = threshold;
        List<Policy> policies = policyNames.stream().map(name -> Policy.parse(name, t)).toList();
        requireWritableDirectory(out);
        agent = agent != null ? agent : AgentJar.find();
        if (!Files.isRegularFile(agent)) {
            throw new IllegalArgumentException("no agent jar at " + agent + "; build it with ./mvnw -q package -DskipTests"
                    + " or pass --agent JAR");
        }
        for (Workload w : workloads) {
            params.computeIfAbsent(w.name(), k -> new LinkedHashMap<>(w.defaults()));
        }
        return new Options(workloads, policies, threshold, jobs, out, agent, params);
    }

    /** The tables are written after every cell has run: a place they cannot go is found out first. */
    public static void requireWritableDirectory(Path out) {
        Path existing = out.toAbsolutePath();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--out takes a directory, and " + existing + " is not one");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException("--out takes a writable directory, and " + existing + " is not writable");
        }
    }

    private static int number(String option, String value, int min) {
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < min) {
            throw new IllegalArgumentException(option + " takes a whole number of at least " + min + ", not '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    static String usage() {
        StringBuilder policies = new StringBuilder();
        Policy.BASES.forEach((name, what) -> policies.append(String.format(Locale.ROOT, "    %-22s %s%n", name, what)));
        return String.format(USAGE, String.join(", ", Workloads.all().stream().map(Workload::name).toList()),
                Population.taskList(), policies.toString().stripTrailing(), String.join(",", Policy.DEFAULTS));
    }

    /** Runs every cell, {@code jobs} at a time, with a progress line on {@code progress}. */
    static List<CellResult> run(Options options, PrintStream progress) throws InterruptedException {
        List<CellSpec> cells = new ArrayList<>();
        for (Workload w : options.workloads()) {
            for (Policy p : options.policies()) {
                cells.add(new CellSpec(w, p));
            }
        }
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.jobs());
        List<Future<CellResult>> futures = new ArrayList<>();
        for (CellSpec cell : cells) {
            futures.add(pool.submit(() -> {
                CellResult r = CellRunner.run(options.agent(), cell.workload(), options.params().get(cell.workload().name()),
                        cell.policy(), CELL_TIMEOUT_SECONDS);
                progress.printf("[%d/%d] %s x %s: %s%n", done.incrementAndGet(), cells.size(), cell.workload().name(),
                        cell.policy().name(), r.status());
                return r;
            }));
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.DAYS);
        List<CellResult> results = new ArrayList<>();
        for (Future<CellResult> f : futures) {
            try {
                results.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    private record CellSpec(Workload workload, Policy policy) {
    }

    static String table(Options options, List<CellResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "dynstack comparison (simulation model, not a kernel measurement): "
                + "threshold %d, saving against fixed 16 KiB stacks%n%n", options.threshold()));
        String rowStart = "%-" + workloadWidth(options) + "s %-" + policyWidth(options) + "s";
        List<CellColumn> columns = CellColumn.inTable();
        out.append(String.format(Locale.ROOT, rowStart, "workload", "policy"));
        for (CellColumn c : columns) {
            out.append(String.format(Locale.ROOT, " %" + c.tableWidth() + "s", c.tableHeader()));
        }
        out.append('\n');
        String previous = null;
        for (CellResult r : results) {
            if (previous != null && !previous.equals(r.workload())) {
                out.append('\n');
            }
            previous = r.workload();
            out.append(String.format(Locale.ROOT, rowStart, r.workload(), r.policy()));
            for (CellColumn c : columns) {
                out.append(String.format(Locale.ROOT, " %" + c.tableWidth() + "s", c.tableText(r.value(c))));
            }
            out.append('\n');
            if (r.panic() != null) {
                out.append("    ").append(r.status().toUpperCase(Locale.ROOT)).append(": ").append(r.panic()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The costs that only some designs have, for the cells whose design has any: '-' where the
     * design has no such cost. Empty when no design in the run has one, so that a run of the RFC's
     * designs prints the table it always printed.
     */
    static String costs(Options options, List<CellResult> results) {
        Map<String, Policy> policies = new LinkedHashMap<>();
        for (Policy p : options.policies()) {
            policies.put(p.name(), p);
        }
        List<CellResult> rows = results.stream()
                .filter(r -> COSTS.stream().anyMatch(c -> c.applies().test(policies.get(r.policy())))).toList();
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%ncosts only some designs have"
                + " ('-': the design has no such cost; in use and kept as read with every thread parked)%n%n"));
        String rowStart = "%-" + workloadWidth(options) + "s %-" + policyWidth(options) + "s";
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, rowStart, "workload", "policy"));
        for (CostColumn c : COSTS) {
            header.append(String.format(Locale.ROOT, " %" + costWidth(c) + "s", c.column().tableHeader()));
        }
        out.append(header).append('\n');
        String previous = null;
        for (CellResult r : rows) {
            if (previous != null && !previous.equals(r.workload())) {
                out.append('\n');
            }
            previous = r.workload();
            Policy p = policies.get(r.policy());
            out.append(String.format(Locale.ROOT, rowStart, r.workload(), r.policy()));
            for (CostColumn c : COSTS) {
                String value = c.applies().test(p) ? c.column().tableText(r.value(c.column())) : "-";
                out.append(String.format(Locale.ROOT, " %" + costWidth(c) + "s", value));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static int costWidth(CostColumn c) {
        return Math.max(6, c.column().tableHeader().length());
    }

    /** For workloads that model a device: kernel stacks as a share of its memory, under every design. */
    static String deviceShares(Options options, List<CellResult> results) {
        String row = "%-" + policyWidth(options) + "s";
        StringBuilder out = new StringBuilder();
        String previous = null;
        for (CellResult r : results) {
            if (r.deviceBytes() == 0) {
                continue;
            }
            if (!r.workload().equals(previous)) {
                out.append(String.format(Locale.ROOT, "%n%s: kernel stacks as a share of the device's %d MiB"
                        + " (fixed 16 KiB stacks: %d KiB, %.2f%%)%n%n", r.workload(), r.deviceBytes() >> 20,
                        r.baseBytes() / 1024, 100.0 * r.baseBytes() / r.deviceBytes()));
                out.append(String.format(Locale.ROOT, row + " %10s %8s %11s%n", "policy", "mapped KiB", "share",
                        "reduction"));
                previous = r.workload();
            }
            out.append(String.format(Locale.ROOT, row + " %10d %7.2f%% %10.2f%%%n", r.policy(), r.mappedBytes() / 1024,
                    100.0 * r.mappedBytes() / r.deviceBytes(), r.savingPercent()));
        }
        return out.toString();
    }

    /** The workload column: 18 as it always was, wider for a snapshot's or a population's file name. */
    private static int workloadWidth(Options options) {
        return Math.max(18, options.workloads().stream().mapToInt(w -> w.name().length()).max().orElse(0));
    }

    /** The policy column: as wide as the RFC designs' table always was, wider for longer names. */
    private static int policyWidth(Options options) {
        return Math.max(34, options.policies().stream().mapToInt(p -> p.name().length()).max().orElse(0));
    }

    static String json(Options options, List<CellResult> results) {
        Json j = new Json().beginObject()
                .member("schema_version", SCHEMA_VERSION)
                .member("model", "simulation")
                .member("threshold", options.threshold())
                .member("reference_thread_size", Cell.REFERENCE_THREAD_SIZE);
        j.name("cells").beginArray();
        for (CellResult r : results) {
            r.writeTo(j);
        }
        return j.endArray().endObject().toString();
    }

    static String csv(List<CellResult> results) {
        StringBuilder out = new StringBuilder(CellResult.CSV_HEADER).append('\n');
        for (CellResult r : results) {
            out.append(r.csvRow()).append('\n');
        }
        return out.toString();
    }
}

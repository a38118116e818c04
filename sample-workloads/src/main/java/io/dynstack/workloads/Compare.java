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

/**
 * The main job: every workload under every policy, each cell in its own JVM under the agent,
 * printed side by side as the RFC printed its table, and written as JSON and CSV.
 */
public final class Compare {

    /** Of comparison.json, as comparison.schema.json has it: bumped when a key changes meaning or goes away. */
    static final int SCHEMA_VERSION = 1;
    private static final long CELL_TIMEOUT_SECONDS = 300;
    private static final String USAGE = """
            usage: Compare [--workloads a,b] [--policies x,y] [--threshold N] [--jobs N] [--out DIR]
                           [--agent PATH] [--set workload.param=N ...]
              workloads: %s
              policies:  %s
                         dynamic ones take +reserve[=N] and +park, e.g. dynamic-check+expand+reserve+park
              defaults:  all workloads; policies %s; threshold 100; jobs = CPUs; out target/comparison""";

    private static final List<String> OPTIONS = List.of("--workloads", "--policies", "--threshold", "--jobs", "--out",
            "--agent", "--set");
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
            System.err.println("compare: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<CellResult> results = run(options, System.err);
        System.out.print(table(options, results));
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("comparison.json"), json(options, results) + "\n");
        Files.writeString(options.out().resolve("comparison.csv"), csv(results));
        System.out.println("written: " + options.out().resolve("comparison.json") + ", "
                + options.out().resolve("comparison.csv"));
    }

    static Options parse(String[] args) {
        List<Workload> workloads = Workloads.all();
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
        int t = threshold;
        List<Policy> policies = policyNames.stream().map(name -> Policy.parse(name, t)).toList();
        requireWritableDirectory(out);
        agent = agent != null ? agent : AgentJar.find();
        if (!Files.isRegularFile(agent)) {
            throw new IllegalArgumentException("no agent jar at " + agent + "; build it with ./mvnw -q package -DskipTests"
                    + " or pass --agent PATH");
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

    private static String usage() {
        return String.format(USAGE, String.join(", ", Workloads.all().stream().map(Workload::name).toList()),
                String.join(", ", Policy.BASES.keySet()), String.join(",", Policy.DEFAULTS));
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
        String format = "%-18s %-34s %7s %10s %10s %8s %10s %9s %6s %6s %6s %8s%n";
        out.append(String.format(Locale.ROOT, format, "workload", "policy", "stacks", "base KiB", "mapped KiB",
                "saving", "peak KiB", "checks", "grows", "faults", "panics", "wall ms"));
        String previous = null;
        for (CellResult r : results) {
            if (previous != null && !previous.equals(r.workload())) {
                out.append('\n');
            }
            previous = r.workload();
            out.append(String.format(Locale.ROOT, format, r.workload(), r.policy(), r.stacks(), r.baseBytes() / 1024,
                    r.mappedBytes() / 1024, String.format(Locale.ROOT, "%.2f%%", r.savingPercent()), r.peakBytes() / 1024,
                    r.checksExecuted(), r.grows(), r.faults(), r.panics(), r.wallMillis()));
            if (r.panic() != null) {
                out.append("    ").append(r.status().toUpperCase(Locale.ROOT)).append(": ").append(r.panic()).append('\n');
            }
        }
        return out.toString();
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

package io.dynstack.workloads.bench;

import io.dynstack.agent.report.JsonText;
import io.dynstack.workloads.Compare;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The threshold sweep: every chain of {@link ChainOverhead} without the agent, with accounting only
 * and at each threshold, timed by JMH; and each chain once per configuration in a child JVM under
 * the agent with {@code fault=grow,report=...}, for the simulated figures of one op. Writes
 * {@code sweep.csv}, {@code sweep.json} and {@code sweep.svg} (the chart) to the output directory.
 *
 * <pre>
 * java -cp sample-workloads/target/dynstack-benchmarks.jar io.dynstack.workloads.bench.Sweep [--quick] [--out DIR]
 *      [--agent JAR] [--chains a,b] [--thresholds none,100,0] [--forks N] [--warmups N] [--iterations N] [--time-ms N]
 * java -cp ... io.dynstack.workloads.bench.Sweep --replot DIR     (the chart again from DIR/sweep.csv and sweep.json)
 * </pre>
 */
public final class Sweep {

    /** Ordered from no checks to every method checked, as the chart reads left to right. */
    static final List<String> THRESHOLDS = List.of("none", "512", "256", "128", "100", "64", "32", "16", "0");
    static final List<String> QUICK_THRESHOLDS = List.of("none", "100", "0");
    static final String KERNEL_GLOB = "io.dynstack.workloads.bench.chains.**";
    static final String AGENT_JAR = "agent/target/dynstack-agent.jar";

    record Settings(Path out, Path agent, List<Chain> chains, List<String> thresholds, int forks, int warmups,
                    int iterations, int timeMs, boolean quick) {
    }

    private final Settings settings;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private int step;
    private int steps;

    Sweep(Settings settings) {
        this.settings = settings;
    }

    static final String USAGE = """
            usage: Sweep [--quick] [--out DIR] [--agent JAR] [--chains a,b] [--thresholds none,100,0]
                         [--forks N] [--warmups N] [--iterations N] [--time-ms N]
                   Sweep --replot DIR     (the chart again from DIR/sweep.csv and sweep.json)""";
    private static final String HELP = "run with --help for the options";

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        try {
            if (args.length > 0 && args[0].equals("--replot")) {
                if (args.length != 2) {
                    throw new IllegalArgumentException("--replot takes one directory, a sweep's --out; " + HELP);
                }
                System.out.println("sweep: wrote " + SweepOutput.replot(Path.of(args[1])));
                return;
            }
            List<SweepPoint> points = new Sweep(parse(args)).run();
            System.out.println();
            System.out.print(SweepOutput.markdown(points));
        } catch (IllegalArgumentException e) {
            System.err.println("sweep: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("sweep: cannot read or write " + e.getMessage());
            System.exit(1);
        }
    }

    static Settings parse(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path out = Path.of("target", "sweep");
        Path agent = null;
        List<Chain> chains = List.of(Chain.values());
        List<String> thresholds = quick ? QUICK_THRESHOLDS : THRESHOLDS;
        int forks = quick ? 1 : 3;
        int warmups = quick ? 1 : 5;
        int iterations = quick ? 1 : 5;
        int timeMs = quick ? 100 : 1000;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                continue;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value; " + HELP
                        : "unknown argument '" + arg + "'; " + HELP);
            }
            String value = args[++i];
            switch (arg) {
                case "--out" -> out = Path.of(value);
                case "--agent" -> agent = Path.of(value);
                case "--chains" -> chains = Arrays.stream(value.split(",")).map(Chain::byId).toList();
                case "--thresholds" -> thresholds = Arrays.stream(value.split(",")).map(Sweep::threshold).toList();
                case "--forks" -> forks = number(arg, value, 1);
                case "--warmups" -> warmups = number(arg, value, 0);
                case "--iterations" -> iterations = number(arg, value, 1);
                case "--time-ms" -> timeMs = number(arg, value, 1);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; " + HELP);
            }
        }
        Compare.requireWritableDirectory(out);
        return new Settings(out, agent != null ? agent : findAgent(), chains, thresholds, forks, warmups, iterations,
                timeMs, quick);
    }

    private static String threshold(String value) {
        if (!value.equals(SweepPoint.ACCOUNTING_ONLY) && !value.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("bad threshold '" + value + "': a frame size in bytes or 'none'");
        }
        return value;
    }

    private static int number(String option, String value, int min) {
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < min) {
            throw new IllegalArgumentException("bad value '" + value + "' for " + option + ": a number, at least " + min);
        }
        return Integer.parseInt(value);
    }

    /** The agent jar of the same build: looked for above where this class was loaded from. */
    public static Path findAgent() {
        String property = System.getProperty("dynstack.agent.jar");
        if (property != null) {
            return Path.of(property);
        }
        Path from;
        try {
            from = Path.of(Sweep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot tell where the benchmarks jar is (" + e.getMessage()
                    + "); pass --agent");
        }
        for (Path dir = from.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(AGENT_JAR))) {
                return dir.resolve(AGENT_JAR);
            }
        }
        throw new IllegalArgumentException("cannot find " + AGENT_JAR + " above the benchmarks jar; build with"
                + " ./mvnw package -DskipTests or pass --agent");
    }

    List<SweepPoint> run() throws IOException, InterruptedException, RunnerException {
        if (!Files.isRegularFile(settings.agent)) {
            throw new IllegalArgumentException("no agent jar at " + settings.agent + "; build it with ./mvnw -q package"
                    + " -DskipTests or pass --agent JAR");
        }
        Files.createDirectories(settings.out.resolve("reports"));
        steps = settings.chains.size() * (1 + 2 * settings.thresholds.size());
        List<SweepPoint> points = new ArrayList<>();
        for (Chain chain : settings.chains) {
            double[] uninstrumented = time(chain, SweepPoint.UNINSTRUMENTED);
            double base = uninstrumented[0];
            points.add(point(chain, SweepPoint.UNINSTRUMENTED, uninstrumented, base, Map.of()));
            for (String threshold : settings.thresholds) {
                Map<String, Long> report = simulate(chain, threshold);
                points.add(point(chain, threshold, time(chain, threshold), base, report));
            }
        }
        SweepOutput.write(settings, points);
        System.out.println("sweep: wrote " + settings.out.resolve("sweep.csv") + ", sweep.json and sweep.svg");
        return points;
    }

    private static SweepPoint point(Chain chain, String config, double[] time, double base, Map<String, Long> report) {
        return new SweepPoint(chain, config, time[0], time[1], time[0] / base, time[2],
                report.getOrDefault("checks_inserted", -1L), report.getOrDefault("checks_executed", -1L),
                report.getOrDefault("faults", -1L), report.getOrDefault("panics", -1L),
                report.getOrDefault("max_depth_bytes", -1L));
    }

    /** ns/op, its error and B/op of the chain's benchmark under {@code config}, from one JMH run. */
    private double[] time(Chain chain, String config) throws RunnerException {
        progress(chain, config, "timing");
        // The agent appends the runtime to the boot class path, and class-data sharing warns of that in every fork.
        List<String> jvmArgs = new ArrayList<>(List.of("-Xshare:off"));
        if (Runtime.version().feature() >= 23) {
            // JMH's harness in the fork still uses sun.misc.Unsafe; keeps its warning out of the progress output.
            jvmArgs.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (!config.equals(SweepPoint.UNINSTRUMENTED)) {
            // fault=grow: a configuration that leaves a deep chain unchecked would panic on its first op.
            jvmArgs.add("-javaagent:" + settings.agent.toAbsolutePath() + "=kernel=" + KERNEL_GLOB + ",threshold="
                    + config + ",fault=grow");
        }
        Options options = new OptionsBuilder()
                .include(Pattern.quote(ChainOverhead.class.getName() + "." + chain.benchmark) + "$")
                .forks(settings.forks)
                .warmupIterations(settings.warmups)
                .warmupTime(TimeValue.milliseconds(settings.timeMs))
                .measurementIterations(settings.iterations)
                .measurementTime(TimeValue.milliseconds(settings.timeMs))
                .timeUnit(TimeUnit.NANOSECONDS)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        Result<?> primary = result.getPrimaryResult();
        Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
        System.out.printf(Locale.ROOT, "      %.1f ns/op%n", primary.getScore());
        return new double[] {primary.getScore(), primary.getScoreError(), alloc == null ? Double.NaN : alloc.getScore()};
    }

    /** The agent's report after one op of the chain, in a child JVM with {@code fault=grow}. */
    private Map<String, Long> simulate(Chain chain, String threshold) throws IOException, InterruptedException {
        progress(chain, threshold, "one op under the agent");
        Path report = settings.out.resolve("reports").resolve(chain.id + "-" + threshold + ".json");
        Files.deleteIfExists(report);
        Process process = new ProcessBuilder(java,
                "-javaagent:" + settings.agent.toAbsolutePath() + "=kernel=" + KERNEL_GLOB + ",threshold=" + threshold
                        + ",fault=grow,report=" + report.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), ChainRun.class.getName(), chain.id)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !Files.isRegularFile(report)) {
            throw new IllegalStateException(chain.id + " threshold=" + threshold + " failed under the agent:\n" + output);
        }
        return reportNumbers(Files.readString(report));
    }

    static Map<String, Long> reportNumbers(String json) {
        Map<String, Object> report = JsonText.parseObject(json);
        Map<String, Long> numbers = new LinkedHashMap<>();
        for (String key : List.of("checks_inserted", "checks_executed", "faults", "panics", "max_depth_bytes")) {
            if (!(report.get(key) instanceof Long n)) {
                throw new IllegalStateException("no " + key + " in the agent's report: " + json);
            }
            numbers.put(key, n);
        }
        return numbers;
    }

    private void progress(Chain chain, String config, String what) {
        String label = config.equals(SweepPoint.UNINSTRUMENTED) ? "uninstrumented" : "threshold=" + config;
        System.out.printf("[%d/%d] %s %s: %s%n", ++step, steps, chain.id, label, what);
    }
}

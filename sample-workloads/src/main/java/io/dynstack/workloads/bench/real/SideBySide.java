package io.dynstack.workloads.bench.real;

import io.dynstack.workloads.Compare;
import io.dynstack.workloads.bench.Sweep;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a user pays for the agent on a whole program, beside what JaCoCo's agent costs on the same
 * program: wall time of a fresh JVM with no agent, with JaCoCo's runtime agent and with dynstack at
 * threshold none, 100 and 0, each weaving the same packages. The programs are real ones from Maven
 * Central, used as data: a hello world (start-up), the Eclipse compiler compiling a library's
 * sources, and the H2 database running a SQL script. Every round runs each configuration once, in
 * an order that rotates from round to round; a ratio is a run's time over the no-agent run of the
 * same round, and the table gives the median and range of the ratios. The steady-state programs
 * ({@code compiler-steady}, {@code sql-steady}) do their work {@value #STEADY_TIMES} times in one JVM
 * and time the last {@value #STEADY_LAST}, inside the JVM. Every run's output (stdout,
 * and the compiler's class files) must be identical to the no-agent run's, or the benchmark fails.
 * A program's class path holds only what it needs (the drivers of the hello world and the SQL
 * script are copied out of this jar, which also holds the agent's classes), so that dynstack's
 * agent runs from the jar under test, as it does for a user.
 *
 * <pre>
 * java -cp sample-workloads/target/dynstack-benchmarks.jar io.dynstack.workloads.bench.real.SideBySide
 *      [--quick] [--rounds N] [--programs hello,compiler,sql,compiler-steady,sql-steady] [--out DIR]
 *      [--agent JAR] [--data DIR]
 * </pre>
 */
public final class SideBySide {

    /** The data the build copies from Maven Central next to the benchmarks jar (see the module's pom). */
    static final String DATA_DIR = "side-by-side-data";
    static final String CSV_HEADER = "program,config,round,seconds,ratio_to_no_agent";
    static final int SQL_ROWS = 100_000;
    /** --quick: one round, and a tenth of the inserts, for a smoke run in CI whose timings mean nothing. */
    static final int QUICK_SQL_ROWS = 10_000;
    static final int SQL_OWNERS = 1_000;
    /** The steady state: the work this many times in one JVM, timing the last {@link #STEADY_LAST}, as the figures were. */
    static final int STEADY_TIMES = 20;
    static final int STEADY_LAST = 8;
    /** --quick: twice, timing the second, to prove the steady-state runs work. */
    static final int QUICK_STEADY_TIMES = 2;

    /** A configuration of the JVM: no agent, JaCoCo's, or dynstack's at a threshold. */
    enum Config {
        NO_AGENT("no agent"), JACOCO("JaCoCo"), DYNSTACK_NONE("dynstack none"), DYNSTACK_100("dynstack 100"),
        DYNSTACK_0("dynstack 0");

        final String label;

        Config(String label) {
            this.label = label;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A program: how to run it, and which of its packages the agents weave. */
    enum Program {
        HELLO("hello", "io.dynstack.workloads.bench.real.Hello", "io.dynstack.workloads.bench.real.*", false),
        COMPILER("compiler", "org.eclipse.jdt.internal.compiler.**", "org.eclipse.jdt.internal.compiler.*", false),
        SQL("sql", "org.h2.**", "org.h2.*", false),
        COMPILER_STEADY("compiler-steady", COMPILER.kernel, COMPILER.includes, true),
        SQL_STEADY("sql-steady", SQL.kernel, SQL.includes, true);

        final String id;
        /** dynstack's kernel= glob ('**' crosses packages). */
        final String kernel;
        /** JaCoCo's includes= pattern ('*' crosses packages there): the same classes. */
        final String includes;
        /** The work repeated in one JVM, timed inside it over the last runs ({@link Repeat}). */
        final boolean steady;

        Program(String id, String kernel, String includes, boolean steady) {
            this.id = id;
            this.kernel = kernel;
            this.includes = includes;
            this.steady = steady;
        }

        boolean compiles() {
            return this == COMPILER || this == COMPILER_STEADY;
        }

        static Program byId(String id) {
            for (Program p : values()) {
                if (p.id.equals(id)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown program '" + id + "': one of hello, compiler, sql,"
                    + " compiler-steady, sql-steady");
        }
    }

    record Settings(Path out, Path agent, Path data, List<Program> programs, int rounds, int sqlRows,
                    int steadyTimes) {
    }

    /** One timed run. */
    record Run(Program program, Config config, int round, double seconds, double ratio) {
    }

    static final String USAGE = """
            usage: SideBySide [--quick] [--rounds N] [--programs hello,compiler,sql,compiler-steady,sql-steady]
                              [--out DIR] [--agent JAR] [--data DIR]""";
    private static final String HELP = "run with --help for the options";

    private final Settings settings;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final Map<Program, String> expected = new LinkedHashMap<>();
    private Path sources;
    private Path script;
    private Path drivers;

    SideBySide(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        try {
            List<Run> runs = new SideBySide(parse(args)).run();
            System.out.println();
            System.out.print(markdown(runs));
        } catch (IllegalArgumentException e) {
            System.err.println("side-by-side: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("side-by-side: cannot read or write " + e.getMessage());
            System.exit(1);
        } catch (IllegalStateException e) {
            System.err.println("side-by-side: " + e.getMessage());
            System.exit(1);
        }
    }

    static Settings parse(String[] args) {
        Path out = Path.of("target", "side-by-side");
        Path agent = null;
        Path data = null;
        List<Program> programs = List.of(Program.HELLO, Program.COMPILER, Program.SQL);
        int rounds = 5;
        int sqlRows = SQL_ROWS;
        int steadyTimes = STEADY_TIMES;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                rounds = 1;
                sqlRows = QUICK_SQL_ROWS;
                steadyTimes = QUICK_STEADY_TIMES;
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
                case "--data" -> data = Path.of(value);
                case "--programs" -> programs = Arrays.stream(value.split(",")).map(Program::byId).toList();
                case "--rounds" -> {
                    if (!value.matches("\\d{1,4}") || Integer.parseInt(value) < 1) {
                        throw new IllegalArgumentException("bad value '" + value + "' for --rounds: a number, at least 1");
                    }
                    rounds = Integer.parseInt(value);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; " + HELP);
            }
        }
        Compare.requireWritableDirectory(out);
        agent = agent != null ? agent : Sweep.findAgent();
        if (!Files.isRegularFile(agent)) {
            throw new IllegalArgumentException("no agent jar at " + agent + "; build it with ./mvnw -q package"
                    + " -DskipTests or pass --agent JAR");
        }
        data = data != null ? data : codeSource().getParent().resolve(DATA_DIR);
        for (String jar : List.of("ecj.jar", "h2.jar", "jacocoagent.jar", "sources.jar")) {
            if (!Files.isRegularFile(data.resolve(jar))) {
                throw new IllegalArgumentException("no " + jar + " in " + data + "; the build copies it there"
                        + " (./mvnw -q package -DskipTests), or pass --data DIR");
            }
        }
        return new Settings(out, agent, data, programs, rounds, sqlRows, steadyTimes);
    }

    /** The benchmarks jar (or classes directory) this class was loaded from. */
    static Path codeSource() {
        try {
            return Path.of(SideBySide.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot tell where the benchmarks jar is (" + e.getMessage()
                    + "); pass --data");
        }
    }

    List<Run> run() throws IOException, InterruptedException {
        Files.createDirectories(settings.out.resolve("logs"));
        sources = extractSources(settings.data.resolve("sources.jar"), settings.out.resolve("sources"));
        drivers = writeDrivers(settings.out.resolve("drivers"));
        script = settings.out.resolve("script.sql");
        Files.write(script, sqlScript(settings.sqlRows, SQL_OWNERS));
        List<Run> runs = new ArrayList<>();
        Config[] configs = Config.values();
        int steps = settings.rounds * settings.programs.size() * configs.length;
        int step = 0;
        for (int round = 1; round <= settings.rounds; round++) {
            for (Program program : settings.programs) {
                Map<Config, Double> times = new LinkedHashMap<>();
                for (int k = 0; k < configs.length; k++) {
                    // Rotated, so that no configuration always runs right after another one.
                    Config config = configs[(k + round - 1) % configs.length];
                    System.out.printf("[%d/%d] round %d %s %s%n", ++step, steps, round, program.id, config.label);
                    times.put(config, time(program, config, round));
                }
                double base = times.get(Config.NO_AGENT);
                for (Config config : configs) {
                    runs.add(new Run(program, config, round, times.get(config), times.get(config) / base));
                }
            }
        }
        writeCsv(runs);
        System.out.println("side-by-side: every run's output is identical to the no-agent run's; wrote "
                + settings.out.resolve("side-by-side.csv"));
        return runs;
    }

    /** Runs the program once under {@code config}; returns its wall time in seconds, after checking its output. */
    private double time(Program program, Config config, int round) throws IOException, InterruptedException {
        String name = program.id + "-" + config.id() + "-" + round;
        Path classes = settings.out.resolve("classes-" + name);
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(agentArguments(program, config, name));
        command.addAll(programArguments(program, classes));
        Path stdout = settings.out.resolve("logs").resolve(name + ".out");
        Path stderr = settings.out.resolve("logs").resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        int status = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
            throw new IllegalStateException(name + " exited with status " + status + "; see " + stderr + ":\n"
                    + tail(stderr));
        }
        if (program.steady) {
            seconds = steadySeconds(stderr);
        }
        String output = Files.readString(stdout);
        if (program.compiles()) {
            output += classesDigest(classes);
            delete(classes);
        }
        String first = expected.putIfAbsent(program, output);
        if (first != null && !first.equals(output)) {
            throw new IllegalStateException(program.id + " under " + config.label + " (round " + round + ") gave an"
                    + " output different from the first run's; compare " + stdout + " with the other runs' in "
                    + stdout.getParent());
        }
        return seconds;
    }

    /** The time {@link Repeat} gives for the last runs, from the last line of the run's stderr that has it. */
    static double steadySeconds(Path stderr) throws IOException {
        List<String> lines = Files.readAllLines(stderr);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(Repeat.STEADY)) {
                return Double.parseDouble(lines.get(i).substring(Repeat.STEADY.length()));
            }
        }
        throw new IllegalStateException("no '" + Repeat.STEADY + "' line in " + stderr + "; the steady-state driver"
                + " did not finish");
    }

    private List<String> agentArguments(Program program, Config config, String name) {
        return switch (config) {
            case NO_AGENT -> List.of();
            case JACOCO -> List.of("-javaagent:" + settings.data.resolve("jacocoagent.jar").toAbsolutePath()
                    + "=includes=" + program.includes + ",destfile="
                    + settings.out.resolve("logs").resolve(name + ".exec").toAbsolutePath());
            // fault=grow and a stack of 64 KiB: no unchecked chain panics, so that every run does the
            // program's whole work (the compiler's deepest chain is about 8.5 KiB).
            case DYNSTACK_NONE, DYNSTACK_100, DYNSTACK_0 -> List.of("-javaagent:" + settings.agent.toAbsolutePath()
                    + "=kernel=" + program.kernel + ",threshold="
                    + config.name().substring("DYNSTACK_".length()).toLowerCase(Locale.ROOT)
                    + ",fault=grow,thread_size=64k");
        };
    }

    private List<String> programArguments(Program program, Path classes) {
        String driverPath = drivers.toAbsolutePath().toString();
        String ecj = settings.data.resolve("ecj.jar").toAbsolutePath().toString();
        String h2 = settings.data.resolve("h2.jar").toAbsolutePath().toString();
        List<String> compile = List.of("-17", "-nowarn", "-proceedOnError", "-d", classes.toAbsolutePath().toString(),
                sources.toAbsolutePath().toString());
        List<String> repeat = List.of(Repeat.class.getName(), String.valueOf(settings.steadyTimes),
                String.valueOf(Math.min(STEADY_LAST, settings.steadyTimes - 1)));
        List<String> arguments = new ArrayList<>();
        switch (program) {
            case HELLO -> arguments.addAll(List.of("-cp", driverPath, Hello.class.getName()));
            case COMPILER -> {
                arguments.addAll(List.of("-cp", ecj, "org.eclipse.jdt.internal.compiler.batch.Main"));
                arguments.addAll(compile);
            }
            case SQL -> arguments.addAll(List.of("-cp", h2 + File.pathSeparator + driverPath, SqlScript.class.getName(),
                    script.toAbsolutePath().toString()));
            case COMPILER_STEADY -> {
                arguments.addAll(List.of("-cp", ecj + File.pathSeparator + driverPath));
                arguments.addAll(repeat);
                arguments.add("compiler");
                arguments.addAll(compile);
            }
            case SQL_STEADY -> {
                arguments.addAll(List.of("-cp", h2 + File.pathSeparator + driverPath));
                arguments.addAll(repeat);
                arguments.addAll(List.of("sql", script.toAbsolutePath().toString()));
            }
        }
        return arguments;
    }

    /**
     * The hello world, the SQL driver and the steady-state driver, copied as class files into {@code dir}: with this jar on
     * a program's class path, the agent's premain class would be loaded from this jar's copy of
     * the agent (the system class loader looks at the class path before the agent jar appended to
     * it), not from the agent jar being measured.
     */
    static Path writeDrivers(Path dir) throws IOException {
        delete(dir);
        for (Class<?> driver : List.of(Hello.class, SqlScript.class, Repeat.class)) {
            String file = driver.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            try (var in = driver.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException(file + " (not found beside " + SideBySide.class.getName() + ")");
                }
                Files.copy(in, target);
            }
        }
        return dir;
    }

    /**
     * The script: owners in a tree (each one's parent is id / 2), {@code rows} accounts inserted one
     * statement at a time, then joins, an aggregate and two recursive queries.
     */
    static List<String> sqlScript(int rows, int owners) {
        List<String> lines = new ArrayList<>();
        lines.add("CREATE TABLE owner(id INT PRIMARY KEY, name VARCHAR(20), parent INT)");
        lines.add("CREATE TABLE account(id INT PRIMARY KEY, owner INT, balance BIGINT)");
        for (int id = 1; id <= owners; id++) {
            lines.add("INSERT INTO owner VALUES(" + id + ", 'owner" + id + "', " + (id == 1 ? "NULL" : id / 2) + ")");
        }
        for (long id = 1; id <= rows; id++) {
            lines.add("INSERT INTO account VALUES(" + id + ", " + (id % owners + 1) + ", " + (id * 7919 % 100_003) + ")");
        }
        lines.add("CREATE INDEX account_owner ON account(owner)");
        lines.add("SELECT COUNT(*), COUNT(DISTINCT owner) FROM account");
        lines.add("SELECT o.name, COUNT(*), SUM(a.balance) FROM owner o JOIN account a ON a.owner = o.id"
                + " GROUP BY o.name ORDER BY 3 DESC, 1 LIMIT 5");
        lines.add("SELECT COUNT(*), SUM(a.balance) FROM account a JOIN owner o ON a.owner = o.id"
                + " JOIN owner p ON o.parent = p.id WHERE p.parent IS NOT NULL AND p.id < 100");
        lines.add("WITH RECURSIVE tree(id, depth) AS (SELECT id, 0 FROM owner WHERE parent IS NULL UNION ALL"
                + " SELECT o.id, t.depth + 1 FROM owner o JOIN tree t ON o.parent = t.id)"
                + " SELECT depth, COUNT(*) FROM tree GROUP BY depth ORDER BY depth");
        lines.add("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)"
                + " SELECT COUNT(*), SUM(i) FROM n");
        return lines;
    }

    /** The source jar's .java files under {@code dir}, extracted once, before any run. */
    private static Path extractSources(Path jar, Path dir) throws IOException {
        delete(dir);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (entry.isDirectory() || !entry.getName().endsWith(".java") || !target.startsWith(dir)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
        return dir;
    }

    /** The compiler's output as one line: how many class files, and a digest of their names and bytes. */
    static String classesDigest(Path classes) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> classes.relativize(p).toString()))
                    .toList();
        }
        for (Path file : files) {
            digest.update(classes.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(file));
        }
        return files.size() + " class files, sha-256 " + HexFormat.of().formatHex(digest.digest()) + "\n";
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeCsv(List<Run> runs) throws IOException {
        List<String> lines = new ArrayList<>(List.of(CSV_HEADER));
        for (Run r : runs) {
            lines.add(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f", r.program.id, r.config.id(), r.round, r.seconds,
                    r.ratio));
        }
        Files.write(settings.out.resolve("side-by-side.csv"), lines);
    }

    /**
     * The table: per program the no-agent time and, for each agent, the median ratio to it with the
     * range in brackets; the last column is dynstack at 100 over JaCoCo, round by round.
     */
    static String markdown(List<Run> runs) {
        StringBuilder out = new StringBuilder("| program | no agent, s | ");
        for (Config c : Arrays.copyOfRange(Config.values(), 1, Config.values().length)) {
            out.append(c.label).append(" | ");
        }
        out.append("dynstack 100 / JaCoCo |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Program p : Program.values()) {
            List<Run> mine = runs.stream().filter(r -> r.program == p).toList();
            if (mine.isEmpty()) {
                continue;
            }
            out.append("| ").append(p.id).append(" | ").append(spread(seconds(mine, Config.NO_AGENT), "%.3f"));
            for (Config c : Arrays.copyOfRange(Config.values(), 1, Config.values().length)) {
                out.append(" | ").append(spread(mine.stream().filter(r -> r.config == c).mapToDouble(Run::ratio)
                        .toArray(), "%.2f"));
            }
            double[] hundred = seconds(mine, Config.DYNSTACK_100);
            double[] jacoco = seconds(mine, Config.JACOCO);
            double[] over = new double[hundred.length];
            for (int i = 0; i < over.length; i++) {
                over[i] = hundred[i] / jacoco[i];
            }
            out.append(" | ").append(spread(over, "%.2f")).append(" |\n");
        }
        return out.toString();
    }

    private static double[] seconds(List<Run> runs, Config config) {
        return runs.stream().filter(r -> r.config == config).mapToDouble(Run::seconds).toArray();
    }

    /** The median, and with more than one value the range: "1.43 [1.38-1.51]". */
    static String spread(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        String m = String.format(Locale.ROOT, format, median);
        return n == 1 ? m : m + " [" + String.format(Locale.ROOT, format, sorted[0]) + "-"
                + String.format(Locale.ROOT, format, sorted[n - 1]) + "]";
    }
}

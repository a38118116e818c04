package io.dynstack.agent.linux;

import io.dynstack.agent.analyze.Analysis;
import io.dynstack.agent.analyze.CallGraph;
import io.dynstack.agent.analyze.ChainBound;
import io.dynstack.agent.analyze.CheckPlacement;
import io.dynstack.agent.analyze.ClassInput;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.agent.weave.WeaveConfig.Basis;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code linux-results [<data file|release>] [--thresholds LIST] [--margins LIST] [--out DIR]}: what
 * a real kernel's frames and call graph say about checks at each threshold, on both bases, computed
 * by importing the data ({@link KernelClasses}) and running the project's analysis over the
 * generated classes, exactly as {@code analyze} would read the imported jar.
 *
 * <p>Per basis and threshold: the functions checked; the longest chain with no check (bytes,
 * frames, and the chain, innermost first as an oops prints it); the extra checks the placement
 * needs to bring every unchecked chain within each margin, with every entry checked (no check at
 * the indirect call sites: their targets are the entries, called at any depth) and with a check at
 * every indirect call site instead (each maps the margin before it calls, so an entry needs a check
 * only when its own chain passes the margin). With {@code --out} it also writes the table as CSV
 * and the chart as SVG, through temporary files.
 */
public final class LinuxResults {

    public static final String USAGE = "usage: java -jar dynstack-agent.jar linux-results [<data file|release>]"
            + " [--thresholds none,512,...,0] [--margins 1k,2k,4k] [--out DIR]";
    static final List<Integer> THRESHOLDS = List.of(WeaveConfig.NO_CHECKS, 512, 256, 128, 100, 64, 32, 16, 0);
    static final List<Integer> MARGINS = List.of(1024, 2048, 4096);
    static final List<Basis> BASES = List.of(Basis.LOCALS, Basis.FRAME);

    /**
     * One basis and threshold.
     *
     * @param checked      functions the threshold checks
     * @param bound        the chains with the threshold's checks only
     * @param entryChecked extra checks per margin with every entry checked, no checks at indirect sites
     * @param siteChecked  extra function checks per margin with a check at every indirect call site
     */
    record Row(Basis basis, int threshold, int checked, ChainBound bound, int[] entryChecked, int[] siteChecked,
               boolean exact) {
    }

    /** The whole result: the kernel, its graph, and the rows, locals basis first. */
    record Results(KernelData data, CallGraph graph, int sites, int siteFunctions, List<Integer> margins,
                   List<Row> rows, long importMs, long graphMs, long sweepMs) {
    }

    private LinuxResults() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        String outDir = null;
        List<Integer> thresholds = THRESHOLDS;
        List<Integer> margins = MARGINS;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--thresholds", "--margins", "--out" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        return bad(err, arg + " needs a value");
                    }
                    String value = args[++i];
                    try {
                        switch (arg) {
                            case "--thresholds" -> thresholds = sizes(value, true);
                            case "--margins" -> margins = sizes(value, false).stream().sorted().distinct().toList();
                            default -> outDir = value;
                        }
                    } catch (IllegalArgumentException e) {
                        return bad(err, "bad value '" + value + "' for option '" + arg + "': " + e.getMessage());
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return bad(err, "unknown option '" + arg + "'");
                    }
                    if (input != null) {
                        return bad(err, "give one data file, not both '" + input + "' and '" + arg + "'");
                    }
                    input = arg;
                }
            }
        }
        Path dir = outDir == null ? null : Path.of(outDir).toAbsolutePath();
        if (dir != null && !Files.isDirectory(dir)) {
            return bad(err, "--out " + dir + " is not a directory");
        }
        KernelData data;
        try {
            data = KernelFiles.read(input == null ? KernelFiles.COMMITTED : input);
        } catch (IOException e) {
            return bad(err, e.getMessage());
        }
        Results results;
        try {
            results = compute(data, thresholds, margins);
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage());
        }
        print(results, out);
        if (dir != null) {
            String base = "linux-" + data.header().release();
            try {
                write(dir.resolve(base + ".csv"), csv(results));
                write(dir.resolve(base + ".svg"), LinuxChart.svg(results));
            } catch (IOException e) {
                err.println("dynstack linux-results: cannot write to " + dir + ": " + e.getMessage());
                return 2;
            }
            out.println("wrote " + dir.resolve(base + ".csv") + " and " + dir.resolve(base + ".svg"));
        }
        return 0;
    }

    private static List<Integer> sizes(String text, boolean noneAllowed) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (noneAllowed && part.equalsIgnoreCase("none")) {
                out.add(WeaveConfig.NO_CHECKS);
                continue;
            }
            if (!part.matches("\\d{1,7}[kK]?")) {
                throw new IllegalArgumentException("expected sizes in bytes or KiB separated by ','"
                        + (noneAllowed ? ", or 'none'" : ""));
            }
            boolean kib = part.endsWith("k") || part.endsWith("K");
            out.add(Integer.parseInt(kib ? part.substring(0, part.length() - 1) : part) * (kib ? 1024 : 1));
        }
        return List.copyOf(out);
    }

    /** Imports {@code data} in memory, builds the call graph once and evaluates every point. */
    static Results compute(KernelData data, List<Integer> thresholds, List<Integer> margins) {
        long start = System.nanoTime();
        Map<String, byte[]> classes = KernelClasses.of(data).generate();
        List<ClassInput.ClassFile> files = new ArrayList<>();
        classes.forEach((name, bytes) -> files.add(new ClassInput.ClassFile(name + ".class", bytes)));
        long imported = System.nanoTime();
        Analysis base = Analysis.run(files, new Analysis.Options(List.of(KernelClasses.PACKAGE + ".**"),
                WeaveConfig.NO_CHECKS, -1));
        long linked = System.nanoTime();
        List<Object[]> points = new ArrayList<>();
        for (Basis basis : BASES) {
            for (int t : thresholds) {
                points.add(new Object[] {basis, t});
            }
        }
        List<Row> rows = points.parallelStream().map(p -> row(base, (Basis) p[0], (Integer) p[1], margins)).toList();
        long swept = System.nanoTime();
        int sites = 0;
        int siteFunctions = 0;
        for (KernelData.Function f : data.functions()) {
            sites += f.indirect();
            siteFunctions += f.indirect() > 0 ? 1 : 0;
        }
        return new Results(data, base.graph(), sites, siteFunctions, margins, rows, (imported - start) / 1_000_000,
                (linked - imported) / 1_000_000, (swept - linked) / 1_000_000);
    }

    private static Row row(Analysis base, Basis basis, int threshold, List<Integer> margins) {
        Analysis a = base.at(threshold, basis, -1);
        CallGraph g = a.graph();
        boolean[] checked = new boolean[g.size()];
        int count = 0;
        for (int v = 0; v < g.size(); v++) {
            checked[v] = a.checkedByThreshold(v);
            count += checked[v] ? 1 : 0;
        }
        int[] entries = new int[margins.size()];
        int[] sites = new int[margins.size()];
        boolean exact = true;
        for (int i = 0; i < margins.size(); i++) {
            for (boolean checkEntries : new boolean[] {true, false}) {
                CheckPlacement.Result p = CheckPlacement.place(g, checked, margins.get(i), checkEntries);
                (checkEntries ? entries : sites)[i] = p.all().size();
                exact &= p.algorithm() == CheckPlacement.Algorithm.EXACT || p.chainChecks().isEmpty();
            }
        }
        // A placement that brings every chain within a smaller margin does so within a larger one:
        // greedy's set for the larger margin can be the larger (a shared callee checked once for the
        // small margin, its callers each for the large one), so each margin keeps the smallest so far.
        for (int i = 1; i < margins.size(); i++) {
            entries[i] = Math.min(entries[i], entries[i - 1]);
            sites[i] = Math.min(sites[i], sites[i - 1]);
        }
        return new Row(basis, threshold, count, a.bound(), entries, sites, exact);
    }

    static String thresholdLabel(int threshold) {
        return threshold == WeaveConfig.NO_CHECKS ? "none" : Integer.toString(threshold);
    }

    static String kib(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    /** The kernel function a node stands for. */
    static String function(CallGraph g, int v) {
        return KernelClasses.symbol(g.method(v).name());
    }

    /** The chain that decides the bound: the worst one, or outside unchecked recursion the worst there. */
    static ChainBound.Chain chain(Row r) {
        return r.bound().uncheckedCycles().isEmpty() ? r.bound().worst() : r.bound().worstOutsideRecursion();
    }

    static void print(Results r, PrintStream out) {
        KernelData.Header h = r.data().header();
        CallGraph g = r.graph();
        int n = g.size();
        long calls = 0;
        for (int v = 0; v < n; v++) {
            calls += g.callees(v).length;
        }
        out.printf(Locale.ROOT, "dynstack linux-results: linux %s (%s), %,d functions%n", h.release(), h.pkg(),
                r.data().functions().size());
        out.printf(Locale.ROOT, "  imported in %,d ms, call graph in %,d ms, %d points in %,d ms: %,d calls"
                        + " (direct, and through callees' tail calls), %,d entries (no direct caller),"
                        + " %,d recursive components; %,d indirect call sites in %,d functions%n",
                r.importMs(), r.graphMs(), r.rows().size(), r.sweepMs(), calls, g.entries().size(),
                g.recursion().size(), r.sites(), r.siteFunctions());
        out.println();
        StringBuilder margins = new StringBuilder();
        for (int m : r.margins()) {
            margins.append(String.format("%8s", kib(m)));
        }
        out.printf(Locale.ROOT, "%-6s  %9s  %15s  %-34s  %-24s  %s%n", "", "", "functions", "longest chain with no check",
                "extra checks for a bound of", String.format(Locale.ROOT, "the same, with a check at each of the %,d"
                        + " indirect call sites", r.sites()));
        out.printf("%-6s  %9s  %7s %7s  %-34s  %-24s  %s%n", "basis", "threshold", "checked", "share", "bytes, frames",
                margins, margins);
        for (Row row : r.rows()) {
            out.printf(Locale.ROOT, "%-6s  %9s  %7d %6.2f%%  %-34s  %-24s  %s%n", row.basis().label(),
                    thresholdLabel(row.threshold()), row.checked(), 100.0 * row.checked() / n, boundText(row),
                    counts(row.entryChecked()), counts(row.siteChecked()));
        }
        out.println();
        out.println("unbounded: recursion with no check on a cycle; the chain beside it is the longest outside it.");
        boolean exact = r.rows().stream().allMatch(Row::exact);
        boolean greedy = r.rows().stream().noneMatch(Row::exact);
        out.println("extra checks: functions the placement checks beyond the threshold's (entries, recursion, chains"
                + (exact ? ", chains by exact search" : greedy ? "; chains by greedy: an exact search would be too large"
                : "; chains by exact search where it fits its budget, else by greedy")
                + "); with site checks, the sites come on top of the count.");
        for (Row row : r.rows()) {
            out.println();
            chainText(r, row, out);
        }
    }

    private static String counts(int[] counts) {
        StringBuilder out = new StringBuilder();
        for (int c : counts) {
            out.append(String.format(Locale.ROOT, "%8s", String.format(Locale.ROOT, "%,d", c)));
        }
        return out.toString();
    }

    static String boundText(Row row) {
        ChainBound.Chain c = chain(row);
        String chain = c == null ? "0" : String.format(Locale.ROOT, "%,d B, %d", c.bytes(), c.links().size());
        return row.bound().uncheckedCycles().isEmpty() ? chain : "unbounded (outside: " + chain + ")";
    }

    /** The chain innermost first, with the depth below its start, as the runtime's oops prints a stack. */
    static void chainText(Results r, Row row, PrintStream out) {
        CallGraph g = r.graph();
        ChainBound.Chain c = chain(row);
        String title = row.basis().label() + ", threshold " + thresholdLabel(row.threshold());
        if (!row.bound().uncheckedCycles().isEmpty()) {
            int[] cycle = row.bound().uncheckedCycles().get(0);
            out.printf(Locale.ROOT, "%s: unbounded, %d recursive cycles with no check; the first, %d bytes per turn:"
                            + " %s%n", title, row.bound().uncheckedCycles().size(),
                    Arrays.stream(cycle).map(g::frameSize).sum(),
                    String.join(" > ", Arrays.stream(cycle).mapToObj(v -> function(g, v)).toList()) + " > "
                            + function(g, cycle[0]));
            title = "  outside the recursion";
        }
        if (c == null) {
            out.println(title + ": no chain");
            return;
        }
        String from = c.fromEntry() ? "the entry " + function(g, c.start()) + " (no direct caller), its own frame"
                + " counted" : "the check in " + function(g, c.start());
        out.printf(Locale.ROOT, "%s: %,d bytes in %d frames with no check, from %s%n", title, c.bytes(),
                c.links().size(), from);
        out.println("    depth  frame  locals  function");
        List<ChainBound.Link> links = c.links();
        for (int i = links.size() - 1; i >= 0; i--) {
            ChainBound.Link l = links.get(i);
            out.printf(Locale.ROOT, "  %7d  %5d  %6d  %s%n", l.total(), l.frameSize(), g.locals(l.node()),
                    function(g, l.node()));
        }
        if (!c.fromEntry()) {
            out.printf(Locale.ROOT, "  %7s  %5d  %6d  %s  [check: maps frame + margin]%n", "", g.frameSize(c.start()),
                    g.locals(c.start()), function(g, c.start()));
        }
    }

    static String csv(Results r) {
        StringBuilder out = new StringBuilder("basis,threshold,checked,share,unbounded,chain_bytes,chain_frames,chain_start");
        for (int m : r.margins()) {
            out.append(",extra_checks_").append(m);
        }
        for (int m : r.margins()) {
            out.append(",extra_checks_with_sites_").append(m);
        }
        out.append(",indirect_sites\n");
        for (Row row : r.rows()) {
            ChainBound.Chain c = chain(row);
            out.append(row.basis().label()).append(',').append(thresholdLabel(row.threshold())).append(',')
                    .append(row.checked()).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", (double) row.checked() / r.graph().size())).append(',')
                    .append(!row.bound().uncheckedCycles().isEmpty()).append(',')
                    .append(c == null ? 0 : c.bytes()).append(',').append(c == null ? 0 : c.links().size()).append(',')
                    .append(c == null ? "" : function(r.graph(), c.start()));
            for (int x : row.entryChecked()) {
                out.append(',').append(x);
            }
            for (int x : row.siteChecked()) {
                out.append(',').append(x);
            }
            out.append(',').append(r.sites()).append('\n');
        }
        return out.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = ImportCommand.temporarySibling(file);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int bad(PrintStream err, String message) {
        err.println("dynstack linux-results: " + message + "; " + USAGE);
        return 2;
    }
}

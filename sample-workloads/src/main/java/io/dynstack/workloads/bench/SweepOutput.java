package io.dynstack.workloads.bench;

import io.dynstack.agent.report.JsonText;
import io.dynstack.runtime.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sweep's files: CSV and JSON for tools, the SVG chart and a markdown table for people. */
final class SweepOutput {

    static final String CSV_HEADER = "chain,config,ns_per_op,ns_per_op_error,ratio_to_uninstrumented,alloc_bytes_per_op,"
            + "checks_inserted,checks_executed,faults,panics,max_depth_bytes";

    private SweepOutput() {
    }

    static void write(Sweep.Settings settings, List<SweepPoint> points) throws IOException {
        Files.writeString(settings.out().resolve("sweep.csv"), csv(points));
        Files.writeString(settings.out().resolve("sweep.json"), json(settings, points));
        Files.writeString(settings.out().resolve("sweep.svg"), SweepChart.svg(subtitle(settings), points));
    }

    /** Where and how the figures were taken: printed on the chart and kept in the JSON. */
    static String subtitle(Sweep.Settings s) {
        return String.format(Locale.ROOT, "%s, JDK %s, %d CPUs; JMH %d fork(s), %d warm-up + %d measured x %d ms%s",
                LocalDate.now(), System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                s.forks(), s.warmups(), s.iterations(), s.timeMs(), s.quick() ? " (--quick: a smoke run, not figures)" : "");
    }

    static String csv(List<SweepPoint> points) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (SweepPoint p : points) {
            out.append(String.join(",", p.chain().id(), p.config(), decimal(p.nsPerOp()), decimal(p.nsPerOpError()),
                    String.format(Locale.ROOT, "%.4f", p.ratio()), decimal(p.allocBytesPerOp()),
                    count(p.checksInserted()), count(p.checksExecuted()), count(p.faults()), count(p.panics()),
                    count(p.maxDepthBytes()))).append('\n');
        }
        return out.toString();
    }

    /** Of sweep.json, as sweep.schema.json has it: bumped when a key changes meaning or goes away. */
    static final int SCHEMA_VERSION = 1;

    /** One line per top-level member and per point, as sweep.json has always been laid out. */
    static String json(Sweep.Settings s, List<SweepPoint> points) {
        Json j = Json.spaced().beginObject()
                .newline(2).member("schema_version", SCHEMA_VERSION)
                .newline(2).member("date", LocalDate.now().toString())
                .newline(2).member("jdk", System.getProperty("java.vm.vendor") + ' ' + System.getProperty("java.vm.version"))
                .newline(2).member("subtitle", subtitle(s))
                .newline(2).member("cpus", Runtime.getRuntime().availableProcessors())
                .newline(2).name("jmh").beginObject().member("forks", s.forks()).member("warmup_iterations", s.warmups())
                .member("measurement_iterations", s.iterations()).member("iteration_ms", s.timeMs())
                .member("quick", s.quick()).endObject()
                .newline(2).member("agent_options", "kernel=" + Sweep.KERNEL_GLOB + ",threshold=CONFIG,fault=grow")
                .newline(2).name("points").beginArray();
        for (SweepPoint p : points) {
            j.newline(4).beginObject().member("chain", p.chain().id()).member("config", p.config())
                    .member("ns_per_op", p.nsPerOp(), 3).member("ns_per_op_error", p.nsPerOpError(), 3)
                    .member("ratio_to_uninstrumented", p.ratio(), 4).member("alloc_bytes_per_op", p.allocBytesPerOp(), 3);
            if (p.instrumented()) {
                j.member("checks_inserted", p.checksInserted()).member("checks_executed", p.checksExecuted())
                        .member("faults", p.faults()).member("panics", p.panics())
                        .member("max_depth_bytes", p.maxDepthBytes());
            }
            j.endObject();
        }
        return j.newline(2).endArray().newline(0).endObject() + "\n";
    }

    /** Draws the chart again from a sweep's CSV and JSON, after the chart changed or to compare runs. */
    static Path replot(Path dir) throws IOException {
        List<SweepPoint> points = new ArrayList<>();
        if (!Files.isRegularFile(dir.resolve("sweep.csv")) || !Files.isRegularFile(dir.resolve("sweep.json"))) {
            throw new IllegalArgumentException("no sweep.csv and sweep.json in " + dir + " to replot");
        }
        List<String> lines = Files.readAllLines(dir.resolve("sweep.csv"));
        if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER)) {
            throw new IllegalArgumentException(dir.resolve("sweep.csv") + " is not a sweep's CSV");
        }
        int columns = CSV_HEADER.split(",").length;
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            try {
                if (c.length != columns) {
                    throw new IllegalArgumentException(c.length + " columns, not " + columns);
                }
                points.add(new SweepPoint(Chain.byId(c[0]), c[1], cellNumber(c[2]), cellNumber(c[3]),
                        cellNumber(c[4]), cellNumber(c[5]), cellCount(c[6]), cellCount(c[7]), cellCount(c[8]),
                        cellCount(c[9]), cellCount(c[10])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(dir.resolve("sweep.csv") + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        Object subtitle = JsonText.parseObject(Files.readString(dir.resolve("sweep.json"))).get("subtitle");
        Path svg = dir.resolve("sweep.svg");
        Files.writeString(svg, SweepChart.svg(subtitle instanceof String s ? s : "", points));
        return svg;
    }

    private static double cellNumber(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }

    private static long cellCount(String cell) {
        return cell.isEmpty() ? -1 : Long.parseLong(cell);
    }

    /** The table BENCHMARKS.md shows: one row per configuration, one column pair per chain. */
    static String markdown(List<SweepPoint> points) {
        List<Chain> chains = points.stream().map(SweepPoint::chain).distinct().toList();
        List<String> configs = points.stream().map(SweepPoint::config).distinct().toList();
        StringBuilder out = new StringBuilder("| config |");
        chains.forEach(c -> out.append(' ').append(c.id()).append(" ns/op | ratio | checks/op | faults |"));
        out.append("\n| --- |");
        chains.forEach(c -> out.append(" ---: | ---: | ---: | ---: |"));
        out.append('\n');
        for (String config : configs) {
            out.append("| ").append(config).append(" |");
            for (Chain chain : chains) {
                SweepPoint p = points.stream().filter(q -> q.chain() == chain && q.config().equals(config))
                        .findFirst().orElseThrow();
                out.append(String.format(Locale.ROOT, " %s | %.2f | %s | %s |", decimal(p.nsPerOp()), p.ratio(),
                        p.instrumented() ? count(p.checksExecuted()) : "-", p.instrumented() ? count(p.faults()) : "-"));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String decimal(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.2f", d) : "";
    }

    private static String count(long n) {
        return n < 0 ? "" : Long.toString(n);
    }
}

package io.dynstack.agent.report;

import io.dynstack.runtime.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code report} command makes from the JSON the project writes: the per-method CSV, the
 * stack bytes in the collapsed-stack format of flame-graph tools, and self-contained HTML pages.
 */
public final class ReportFiles {

    static final String METHODS_HEADER = "method,frame_size,checked,expand_bytes,entries,checks,grows,faults,panics,"
            + "max_depth_bytes";
    private static final List<String> METHOD_COLUMNS = List.of(METHODS_HEADER.split(","));

    private ReportFiles() {
    }

    /** The report's {@code methods}, one CSV row each, in the report's order. */
    public static String methodsCsv(Map<String, Object> report) {
        StringBuilder out = new StringBuilder(METHODS_HEADER).append('\n');
        for (Map<String, Object> m : objects(report, "methods")) {
            StringBuilder row = new StringBuilder();
            for (String column : METHOD_COLUMNS) {
                if (!row.isEmpty()) {
                    row.append(',');
                }
                row.append(csvField(String.valueOf(m.get(column))));
            }
            out.append(row).append('\n');
        }
        return out.toString();
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /**
     * Every stack's deepest chain as collapsed stacks ({@code root;...;leaf bytes}, the format of
     * flamegraph.pl, speedscope and async-profiler's converters): one line per frame, weighing that
     * frame's bytes times the stacks that had the chain, so that a frame's width in the graph is its
     * bytes and its callees'. Frames are {@code class.method}; identical lines are summed.
     */
    public static String stacksCollapsed(Map<String, Object> report) {
        Map<String, Long> lines = new LinkedHashMap<>();
        for (Map<String, Object> chain : objects(report, "deepest_chains")) {
            add(lines, chain, ((Number) chain.get("stacks")).longValue());
        }
        return collapsed(lines);
    }

    /** The run's deepest chain alone, in the same format. */
    public static String deepestCollapsed(Map<String, Object> report) {
        Map<String, Long> lines = new LinkedHashMap<>();
        if (report.get("deepest_chain") instanceof Map<?, ?> chain) {
            add(lines, cast(chain), 1);
        }
        return collapsed(lines);
    }

    private static void add(Map<String, Long> lines, Map<String, Object> chain, long stacks) {
        StringBuilder stack = new StringBuilder();
        for (Object o : (List<?>) chain.get("frames")) {
            Map<String, Object> frame = cast(o);
            if (!stack.isEmpty()) {
                stack.append(';');
            }
            stack.append(frameName((String) frame.get("method")));
            lines.merge(stack.toString(), ((Number) frame.get("frame_size")).longValue() * stacks, Long::sum);
        }
    }

    /** {@code com.acme.Vfs.read}: the descriptor goes, since its {@code ;} would split the frame. */
    static String frameName(String method) {
        int paren = method.indexOf('(');
        return paren < 0 ? method : method.substring(0, paren);
    }

    private static String collapsed(Map<String, Long> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach((stack, bytes) -> out.append(stack).append(' ').append(bytes).append('\n'));
        return out.toString();
    }

    /** The report page: totals, configuration, depth histogram, flame graph, per-method table. */
    public static String reportHtml(String reportJson) {
        return page("report.html", reportJson, null);
    }

    /** The comparison page: the table of every cell and a chart of memory per design; {@code svg} may be null. */
    public static String comparisonHtml(String comparisonJson, String svg) {
        return page("comparison.html", comparisonJson, svg);
    }

    private static String page(String template, String json, String svg) {
        return resource(template)
                .replace("/*STYLE*/", resource("style.css"))
                .replace("/*COMMON*/", resource("common.js"))
                .replace("/*DATA*/", scriptSafe(json.strip()))
                .replace("/*SVG*/", scriptSafe(svg == null ? "null" : new Json().value(svg).toString()));
    }

    /** Inside a script element only {@code </} can end it early; JSON allows {@code <} escaped. */
    private static String scriptSafe(String json) {
        return json.replace("<", "\\u003c");
    }

    private static String resource(String name) {
        try (InputStream in = ReportFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the agent jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> objects(Map<String, Object> json, String key) {
        Object list = json.get(key);
        if (!(list instanceof List<?> items)) {
            throw new IllegalArgumentException("no array '" + key + "'");
        }
        return items.stream().map(ReportFiles::cast).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected an object, found " + o);
        }
        return (Map<String, Object>) o;
    }
}

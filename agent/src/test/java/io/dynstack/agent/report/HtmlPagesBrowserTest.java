package io.dynstack.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.WeavingLoader;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report and comparison pages in a real browser (headless chromium): they render with no
 * console message, and every figure on the page is the JSON's.
 */
class HtmlPagesBrowserTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    private static String reportOfKnownChains() throws Throwable {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW));
        WeavingLoader kernel = WeavingLoader.kernel(100);
        kernel.call("Chains", "syscall");
        kernel.call("Chains", "deep", 10);
        return Report.json(Kernel.stats());
    }

    @Test
    void theReportPageShowsTheReportsFiguresWithNoConsoleMessage() throws Throwable {
        String json = reportOfKnownChains();
        Map<String, Object> report = ReportFiles.cast(JsonText.parse(json));
        Path page = Files.writeString(dir.resolve("report.html"), ReportFiles.reportHtml(json));

        Chromium.Loaded loaded = Chromium.load(page);
        assertEquals(List.of(), loaded.console(), "console messages of the report page");
        String dom = loaded.dom();
        assertTrue(dom.contains("data-rendered=\"ok\""), "the page's scripts ran to the end");

        for (Map.Entry<String, Object> e : report.entrySet()) {
            if (!(e.getValue() instanceof Map || e.getValue() instanceof List) && e.getValue() != null) {
                assertEquals(shown(e.getValue()), text(dom, "total-" + e.getKey()), e.getKey());
            }
        }
        checkConfig(dom, "", ReportFiles.cast(report.get("config")));
        for (Map<String, Object> bucket : ReportFiles.objects(report, "depth_histogram")) {
            assertEquals(String.valueOf(bucket.get("stacks")), text(dom, "hist-" + bucket.get("up_to_bytes")));
        }

        List<Map<String, Object>> methods = ReportFiles.objects(report, "methods");
        List<List<String>> rows = rows(table(dom, "methods-table"));
        assertEquals(methods.size(), rows.size(), "one row per woven method");
        for (int i = 0; i < methods.size(); i++) {
            List<String> expected = new ArrayList<>();
            methods.get(i).values().forEach(v -> expected.add(shown(v)));
            assertEquals(expected, rows.get(i), "row " + i + " of the method table");
        }

        // One stack, whose deepest chain is the ten frames of deep (512 each), not the earlier read(2).
        assertEquals("5120", attribute(dom, "flame-graph", "data-total-bytes"));
        assertEquals(1 + 10, count(dom, "<g data-name="), "the root and one box per frame");
        assertEquals("5120 bytes on main", text(dom, "deepest-summary"));
    }

    @Test
    void theComparisonPageShowsEveryCellAndColumnAndMarksThePanics() throws Throwable {
        // A comparison as Compare writes it, with one column Compare does not write, which the page must show too.
        String json = """
                {"model":"simulation","threshold":100,"reference_thread_size":16384,"cells":[
                {"workload":"deep-io","policy":"fixed-16k","status":"ok","stacks":4,"base_bytes":65536,"mapped_bytes":65536,"saving_percent":0.00,"peak_bytes":65536,"checks_executed":0,"grows":0,"faults":0,"panics":0,"wall_ms":449,"panic":null,"vmap_cost_bytes":512},
                {"workload":"deep-io","policy":"dynamic-check","status":"panic","stacks":4,"base_bytes":65536,"mapped_bytes":16384,"saving_percent":75.00,"peak_bytes":16384,"checks_executed":80,"grows":0,"faults":0,"panics":4,"wall_ms":628,"panic":"double fault: <deep> at depth 4112","vmap_cost_bytes":128},
                {"workload":"many-idle","policy":"fixed-16k","status":"ok","stacks":10000,"base_bytes":163840000,"mapped_bytes":163840000,"saving_percent":0.00,"peak_bytes":163840000,"checks_executed":0,"grows":0,"faults":0,"panics":0,"wall_ms":1425,"panic":null,"vmap_cost_bytes":0},
                {"workload":"many-idle","policy":"dynamic-check","status":"ok","stacks":10000,"base_bytes":163840000,"mapped_bytes":40960000,"saving_percent":75.00,"peak_bytes":40960000,"checks_executed":30000,"grows":0,"faults":0,"panics":0,"wall_ms":592,"panic":null,"vmap_cost_bytes":0}
                ]}""";
        Map<String, Object> comparison = ReportFiles.cast(JsonText.parse(json));
        Path page = Files.writeString(dir.resolve("comparison.html"), ReportFiles.comparisonHtml(json, null));

        Chromium.Loaded loaded = Chromium.load(page);
        assertEquals(List.of(), loaded.console(), "console messages of the comparison page");
        String dom = loaded.dom();
        assertTrue(dom.contains("data-rendered=\"ok\""), "the page's scripts ran to the end");

        List<Map<String, Object>> cells = ReportFiles.objects(comparison, "cells");
        String table = table(dom, "cells-table");
        List<String> header = new ArrayList<>();
        Matcher th = Pattern.compile("<th data-column=\"([^\"]+)\"").matcher(table);
        while (th.find()) {
            header.add(th.group(1));
        }
        assertEquals(List.copyOf(cells.get(0).keySet()), header, "every key of the cells is a column, in order");
        List<List<String>> rows = rows(table);
        for (int i = 0; i < cells.size(); i++) {
            List<String> expected = new ArrayList<>();
            cells.get(i).values().forEach(v -> expected.add(shown(v)));
            assertEquals(expected, rows.get(i), "row " + i);
        }
        for (Map<String, Object> cell : cells) {
            String bar = "data-workload=\"" + cell.get("workload") + "\" data-policy=\"" + cell.get("policy")
                    + "\" data-mapped-bytes=\"" + cell.get("mapped_bytes") + "\" data-panics=\"" + cell.get("panics") + "\"";
            assertTrue(dom.contains(bar), "a bar for " + bar);
        }
        assertEquals(1, count(dom, "class=\"panic-mark\""), "the one cell that panicked is marked");
        assertEquals("100", text(dom, "summary-threshold"));
    }

    /** Nested objects of the config are rows named by their path, such as options_given.kernel. */
    private static void checkConfig(String dom, String prefix, Map<String, Object> config) {
        for (Map.Entry<String, Object> e : config.entrySet()) {
            String path = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                checkConfig(dom, path + ".", ReportFiles.cast(nested));
            } else {
                assertEquals(shown(e.getValue()), text(dom, "config-" + path), "config." + path);
            }
        }
    }

    /** A JSON value as a browser prints the number it parsed: 75.00 is 75, 12.5 stays 12.5. */
    private static String shown(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        // The page prints a list as JSON does (the config's globs, when another test configured them).
        if (v instanceof List<?> list) {
            return list.stream().map(x -> x instanceof String str ? "\"" + str + "\"" : shown(x))
                    .collect(Collectors.joining(",", "[", "]"));
        }
        return String.valueOf(v);
    }

    private static String text(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(dom);
        assertTrue(m.find(), "no element " + id + " on the page");
        return unescape(m.group(1));
    }

    private static String attribute(String dom, String id, String attribute) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*" + attribute + "=\"([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), "no " + attribute + " on element " + id);
        return m.group(1);
    }

    private static String table(String dom, String id) {
        int start = dom.indexOf("<table id=\"" + id + "\"");
        assertTrue(start >= 0, "no table " + id + " on the page");
        return dom.substring(start, dom.indexOf("</table>", start));
    }

    private static List<List<String>> rows(String table) {
        List<List<String>> rows = new ArrayList<>();
        String body = table.substring(table.indexOf("<tbody>"));
        for (String tr : body.split("<tr[^>]*>")) {
            List<String> cells = new ArrayList<>();
            Matcher td = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(tr);
            while (td.find()) {
                cells.add(unescape(td.group(1)));
            }
            if (!cells.isEmpty()) {
                rows.add(cells);
            }
        }
        return rows;
    }

    private static int count(String dom, String needle) {
        int n = 0;
        for (int at = dom.indexOf(needle); at >= 0; at = dom.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}

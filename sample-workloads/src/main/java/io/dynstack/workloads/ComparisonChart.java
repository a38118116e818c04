package io.dynstack.workloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison as a standalone SVG, drawn as the sweep draws its chart: one panel per workload,
 * one bar per design with the memory mapped with every thread parked, on the panel's own linear
 * scale from 0 to the workload's fixed 16 KiB figure (or the largest bar). A dashed line marks that
 * 16 KiB base; bars of cells that panicked are red and say so, bars of cells that stalled for memory
 * are orange with the count; a cell without figures says why.
 */
final class ComparisonChart {

    private static final int WIDTH = 1000;
    private static final int LABEL_WIDTH = 300;
    private static final int PLOT_WIDTH = 470;
    private static final int ROW = 16;
    private static final int PANEL_GAP = 44;
    private static final String OK = "#1f77b4";
    private static final String PANIC = "#d62728";
    private static final String STALL = "#ff7f0e";

    private final StringBuilder svg = new StringBuilder();

    private ComparisonChart() {
    }

    static String svg(String subtitle, List<CellResult> results) {
        return new ComparisonChart().draw(subtitle, results);
    }

    private String draw(String subtitle, List<CellResult> results) {
        Map<String, List<CellResult>> byWorkload = new LinkedHashMap<>();
        for (CellResult r : results) {
            byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
        }
        int height = 70;
        for (List<CellResult> cells : byWorkload.values()) {
            height += PANEL_GAP + cells.size() * ROW;
        }
        height += 40;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(20, 26, "start", "font-size=\"16\" font-weight=\"bold\"",
                "dynstack: kernel stack memory mapped per design, every thread parked");
        text(20, 44, "start", "fill=\"#555\"", subtitle);
        legend(20, 60);
        int top = 70;
        for (Map.Entry<String, List<CellResult>> e : byWorkload.entrySet()) {
            top += PANEL_GAP;
            panel(top, e.getKey(), e.getValue());
            top += e.getValue().size() * ROW;
        }
        text(20, height - 14, "start", "fill=\"#555\"",
                "Simulation model, not a kernel measurement. mapped = stack pages + reserves, spares and stash + kept"
                        + " wait records.");
        return svg.append("</svg>\n").toString();
    }

    private void panel(int top, String workload, List<CellResult> cells) {
        long max = 1;
        for (CellResult r : cells) {
            max = Math.max(max, Math.max(r.mappedBytes(), r.baseBytes()));
        }
        text(20, top - 8, "start", "font-weight=\"bold\"", workload + " (scale 0 to " + max / 1024 + " KiB)");
        int x0 = 20 + LABEL_WIDTH;
        for (int i = 0; i < cells.size(); i++) {
            CellResult r = cells.get(i);
            double y = top + i * ROW;
            text(x0 - 6, y + ROW - 4, "end", "", r.policy());
            if (r.status().equals("error")) {
                text(x0 + 4, y + ROW - 4, "start", "fill=\"#b00\"", "no figures: " + r.panic());
                continue;
            }
            long stalls = r.cost("stalls");
            String colour = r.panics() > 0 ? PANIC : stalls > 0 ? STALL : OK;
            double w = PLOT_WIDTH * (double) r.mappedBytes() / max;
            String note = String.format(Locale.ROOT, "%d KiB, %.2f%% saved", r.mappedBytes() / 1024, r.savingPercent())
                    + (r.panics() > 0 ? ", " + r.panics() + " panics" : "") + (stalls > 0 ? ", " + stalls + " stalls" : "");
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s</title></rect>%n", x0, y + 2, w, ROW - 4, colour,
                    escape(workload + " x " + r.policy() + ": " + note)));
            text(x0 + w + 4, y + ROW - 4, "start", r.panics() > 0 ? "fill=\"#b00\"" : "", note);
        }
        double base = x0 + PLOT_WIDTH * (double) cells.get(0).baseBytes() / max;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" "
                + "stroke-dasharray=\"4 3\"><title>fixed 16 KiB stacks</title></line>%n", base, top, base,
                top + cells.size() * ROW));
    }

    private void legend(int x, int y) {
        String[][] items = {{OK, "ok"}, {PANIC, "panicked"}, {STALL, "stalled for memory"}};
        for (String[] item : items) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n",
                    x, y - 9, item[0]));
            text(x + 14, y, "start", "", item[1]);
            x += 30 + item[1].length() * 6;
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" "
                + "stroke-dasharray=\"4 3\"/>%n", x, y - 9, x, y + 1));
        text(x + 6, y, "start", "", "fixed 16 KiB stacks");
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n",
                x, y, anchor, attributes, escape(content)));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

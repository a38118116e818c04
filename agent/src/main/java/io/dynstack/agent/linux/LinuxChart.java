package io.dynstack.agent.linux;

import io.dynstack.agent.analyze.ChainBound;
import io.dynstack.agent.weave.WeaveConfig.Basis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The linux-results chart, a standalone SVG in the sweep's style: four panels over the same x axis,
 * from no checks on the left to threshold 0 on the right. The share of functions checked; the
 * longest chain with no check (log scale; a hollow marker where recursion with no check makes the
 * bound unbounded, at the longest chain outside it); and the extra checks for each margin on the
 * locals basis and on the frame basis (log scale, 0 at the bottom), solid with every entry checked,
 * dashed with a check at every indirect call site: the function checks only, since the sites' own
 * checks, the same number at every threshold, would flatten every dashed line onto one.
 */
final class LinuxChart {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private static final int WIDTH = 1060;
    private static final int LEFT = 90;
    private static final int PLOT_WIDTH = 620;
    private static final int LEGEND_X = LEFT + PLOT_WIDTH + 30;
    private static final int PANEL = 170;
    private static final int GAP = 62;
    private static final int TOP = 80;
    private static final int HEIGHT = TOP + 4 * (PANEL + GAP) + 30;

    private final StringBuilder svg = new StringBuilder();
    private final LinuxResults.Results r;
    private final List<Integer> thresholds = new ArrayList<>();

    private LinuxChart(LinuxResults.Results results) {
        this.r = results;
        for (LinuxResults.Row row : results.rows()) {
            if (!thresholds.contains(row.threshold())) {
                thresholds.add(row.threshold());
            }
        }
    }

    static String svg(LinuxResults.Results results) {
        return new LinuxChart(results).draw();
    }

    private String draw() {
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(LEFT, 28, "start", "font-size=\"17\" font-weight=\"bold\"",
                "dynstack: checks against the threshold in linux " + r.data().header().release());
        text(LEFT, 48, "start", "fill=\"#555\"", String.format(Locale.ROOT,
                "%,d functions, real frames and direct call graph (ORC, .debug_frame); %,d indirect call sites;"
                        + " static analysis, not a run", r.data().functions().size(), r.sites()));
        sharePanel(TOP);
        chainPanel(TOP + PANEL + GAP);
        checksPanel(TOP + 2 * (PANEL + GAP), Basis.LOCALS);
        checksPanel(TOP + 3 * (PANEL + GAP), Basis.FRAME);
        return svg.append("</svg>\n").toString();
    }

    private double x(int threshold) {
        int i = thresholds.indexOf(threshold);
        return LEFT + 20 + (PLOT_WIDTH - 40) * (thresholds.size() == 1 ? 0.5 : (double) i / (thresholds.size() - 1));
    }

    private void sharePanel(int top) {
        frame(top, "functions checked by the threshold (share)");
        ToDoubleFunction<Double> y = s -> top + PANEL - s * PANEL;
        for (double tick : new double[] {0, 0.25, 0.5, 0.75, 1}) {
            grid(y.applyAsDouble(tick), String.format(Locale.ROOT, "%.0f%%", tick * 100));
        }
        int n = r.graph().size();
        for (int b = 0; b < LinuxResults.BASES.size(); b++) {
            Basis basis = LinuxResults.BASES.get(b);
            List<double[]> points = new ArrayList<>();
            for (LinuxResults.Row row : rows(basis)) {
                points.add(new double[] {x(row.threshold()), y.applyAsDouble((double) row.checked() / n)});
            }
            line(points, COLOURS[b], b == 0 ? null : "6 4", true);
            legend(top + 20 + 18 * b, COLOURS[b], b == 0 ? null : "6 4", "on " + basis.label());
        }
        xLabels(top + PANEL);
    }

    private void chainPanel(int top) {
        frame(top, "longest chain with no check, bytes (log scale; hollow: unbounded by recursion, chain outside it)");
        double hi = 1;
        for (LinuxResults.Row row : r.rows()) {
            ChainBound.Chain c = LinuxResults.chain(row);
            hi = Math.max(hi, c == null ? 0 : c.bytes());
        }
        double lo = 8;
        double logLo = Math.log10(lo);
        double logHi = Math.log10(hi * 1.3);
        ToDoubleFunction<Double> y = v -> top + PANEL - (Math.log10(Math.max(v, lo)) - logLo) / (logHi - logLo) * PANEL;
        for (double tick : new double[] {16, 64, 256, 1024, 4096, 16384, 65536}) {
            if (tick <= hi * 1.3) {
                grid(y.applyAsDouble(tick), tick >= 1024 ? (int) tick / 1024 + " KiB" : (int) tick + " B");
            }
        }
        for (int b = 0; b < LinuxResults.BASES.size(); b++) {
            Basis basis = LinuxResults.BASES.get(b);
            List<double[]> points = new ArrayList<>();
            for (LinuxResults.Row row : rows(basis)) {
                ChainBound.Chain c = LinuxResults.chain(row);
                double px = x(row.threshold());
                double py = y.applyAsDouble(c == null ? lo : (double) c.bytes());
                points.add(new double[] {px, py});
            }
            line(points, COLOURS[b], b == 0 ? null : "6 4", false);
            for (LinuxResults.Row row : rows(basis)) {
                ChainBound.Chain c = LinuxResults.chain(row);
                boolean unbounded = !row.bound().uncheckedCycles().isEmpty();
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\">"
                                + "<title>%s, threshold %s: %s</title></circle>%n", x(row.threshold()),
                        y.applyAsDouble(c == null ? lo : (double) c.bytes()), unbounded ? "white" : COLOURS[b],
                        COLOURS[b], basis.label(), LinuxResults.thresholdLabel(row.threshold()),
                        LinuxResults.boundText(row)));
            }
            legend(top + 20 + 18 * b, COLOURS[b], b == 0 ? null : "6 4", "on " + basis.label());
        }
        xLabels(top + PANEL);
    }

    private void checksPanel(int top, Basis basis) {
        frame(top, String.format(Locale.ROOT, "extra checks for a bound of M, threshold on %s (log scale;"
                + " dashed: function checks besides the %,d at the indirect sites)", basis.label(), r.sites()));
        double hi = 10;
        for (LinuxResults.Row row : rows(basis)) {
            for (int i = 0; i < r.margins().size(); i++) {
                hi = Math.max(hi, Math.max(row.entryChecked()[i], row.siteChecked()[i]));
            }
        }
        double logHi = Math.log10(hi * 1.3 + 1);
        ToDoubleFunction<Double> y = v -> top + PANEL - Math.log10(v + 1) / logHi * PANEL;
        for (double tick : new double[] {0, 10, 100, 1000, 10000, 100000}) {
            if (tick <= hi * 1.3) {
                grid(y.applyAsDouble(tick), tick >= 1000 ? (int) tick / 1000 + "k" : Integer.toString((int) tick));
            }
        }
        for (int i = 0; i < r.margins().size(); i++) {
            String colour = COLOURS[i % COLOURS.length];
            List<double[]> entries = new ArrayList<>();
            List<double[]> sites = new ArrayList<>();
            for (LinuxResults.Row row : rows(basis)) {
                entries.add(new double[] {x(row.threshold()), y.applyAsDouble((double) row.entryChecked()[i])});
                sites.add(new double[] {x(row.threshold()), y.applyAsDouble((double) row.siteChecked()[i])});
            }
            line(entries, colour, null, true);
            line(sites, colour, "6 4", true);
            String m = LinuxResults.kib(r.margins().get(i));
            legend(top + 20 + 36 * i, colour, null, "M = " + m + ", entries checked");
            legend(top + 38 + 36 * i, colour, "6 4", "M = " + m + ", indirect sites checked");
        }
        xLabels(top + PANEL);
    }

    private List<LinuxResults.Row> rows(Basis basis) {
        return r.rows().stream().filter(row -> row.basis() == basis).toList();
    }

    private void frame(int top, String title) {
        text(LEFT, top - 8, "start", "font-weight=\"bold\"", title);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#999\"/>%n", LEFT, top, PLOT_WIDTH, PANEL));
    }

    private void grid(double y, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>%n",
                LEFT, y, LEFT + PLOT_WIDTH, y));
        text(LEFT - 6, y + 4, "end", "fill=\"#555\"", label);
    }

    private void xLabels(int bottom) {
        for (int t : thresholds) {
            text(x(t), bottom + 16, "middle", "fill=\"#555\"", LinuxResults.thresholdLabel(t));
        }
        text(LEFT + PLOT_WIDTH, bottom + 32, "end", "fill=\"#555\"", "threshold (bytes)");
    }

    private void line(List<double[]> points, String colour, String dash, boolean markers) {
        StringBuilder d = new StringBuilder();
        for (double[] p : points) {
            d.append(d.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", p[0], p[1]));
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", d,
                colour, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
        if (markers) {
            for (double[] p : points) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", p[0], p[1],
                        colour));
            }
        }
    }

    private void legend(int y, String colour, String dash, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                        + " stroke-width=\"2\"%s/>%n", LEGEND_X, y - 4, LEGEND_X + 24, y - 4, colour,
                dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
        text(LEGEND_X + 30, y, "start", "", label);
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y,
                anchor, attributes.isEmpty() ? "" : " " + attributes, escape(content)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

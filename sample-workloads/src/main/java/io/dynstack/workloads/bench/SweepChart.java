package io.dynstack.workloads.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The sweep's chart, as a standalone SVG: overhead and safety against the threshold in one picture.
 * Three panels share the x axis, from accounting only (no checks) on the left to threshold 0 (every
 * method checked) on the right: the time per op over the uninstrumented time (log scale); checks
 * inserted and executed per op; and the faults of one op in a {@code fault=grow} run, each of which
 * would be a double-fault panic under {@code fault=panic}.
 */
final class SweepChart {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int WIDTH = 1000;
    private static final int LEFT = 80;
    private static final int PLOT_WIDTH = 640;
    private static final int LEGEND_X = LEFT + PLOT_WIDTH + 30;
    private static final int RATIO_TOP = 80;
    private static final int RATIO_HEIGHT = 260;
    private static final int CHECKS_TOP = RATIO_TOP + RATIO_HEIGHT + 50;
    private static final int CHECKS_HEIGHT = 170;
    private static final int FAULTS_TOP = CHECKS_TOP + CHECKS_HEIGHT + 50;
    private static final int FAULTS_HEIGHT = 120;
    private static final int HEIGHT = FAULTS_TOP + FAULTS_HEIGHT + 70;
    /** The target for accounting plus checks on the chain with real work per frame. */
    private static final double REAL_WORK_TARGET = 1.3;

    private final StringBuilder svg = new StringBuilder();
    private final List<Chain> chains;
    private final List<String> configs;
    private final List<SweepPoint> points;

    private SweepChart(List<SweepPoint> points) {
        this.points = points;
        this.chains = points.stream().map(SweepPoint::chain).distinct().toList();
        this.configs = points.stream().filter(SweepPoint::instrumented).map(SweepPoint::config).distinct().toList();
    }

    static String svg(String subtitle, List<SweepPoint> points) {
        return new SweepChart(points).draw(subtitle);
    }

    private String draw(String subtitle) {
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(LEFT, 28, "start", "font-size=\"17\" font-weight=\"bold\"", "dynstack: check overhead and safety against the threshold");
        text(LEFT, 48, "start", "fill=\"#555\"", subtitle);
        ratioPanel();
        checksPanel();
        faultsPanel();
        xAxis(FAULTS_TOP + FAULTS_HEIGHT);
        legend();
        return svg.append("</svg>\n").toString();
    }

    private void ratioPanel() {
        double max = Math.max(REAL_WORK_TARGET * 1.1, max(SweepPoint::ratio));
        double min = Math.min(1, points.stream().filter(SweepPoint::instrumented).mapToDouble(SweepPoint::ratio)
                .filter(Double::isFinite).min().orElse(1));
        double lo = Math.log10(Math.max(min, 0.1) * 0.9);
        double hi = Math.log10(max * 1.1);
        ToDoubleFunction<Double> y = r -> RATIO_TOP + RATIO_HEIGHT - (Math.log10(r) - lo) / (hi - lo) * RATIO_HEIGHT;
        frame(RATIO_TOP, RATIO_HEIGHT, "time per op / uninstrumented (log scale)");
        for (double tick : logTicks(Math.pow(10, lo), Math.pow(10, hi))) {
            gridLine(y.applyAsDouble(tick), label(tick) + "x");
        }
        // The 1x line needs no label of its own: the axis says 1x and the title says what it divides by.
        referenceLine(y.applyAsDouble(1.0), null);
        referenceLine(y.applyAsDouble(REAL_WORK_TARGET), "1.3x: target for real-work");
        for (int c = 0; c < chains.size(); c++) {
            Chain chain = chains.get(c);
            series(chain, COLOURS[c % COLOURS.length], "", p -> y.applyAsDouble(p.ratio()),
                    p -> String.format(Locale.ROOT, "%s threshold=%s: %.1f ns/op, %.2fx", chain.id(), p.config(),
                            p.nsPerOp(), p.ratio()));
        }
    }

    private void checksPanel() {
        double max = niceCeiling(Math.max(1, Math.max(max(p -> p.checksExecuted()), max(p -> p.checksInserted()))));
        ToDoubleFunction<Double> y = n -> CHECKS_TOP + CHECKS_HEIGHT - n / max * CHECKS_HEIGHT;
        frame(CHECKS_TOP, CHECKS_HEIGHT, "checks: executed per op (solid), inserted in the chain (dotted)");
        for (int i = 0; i <= 4; i++) {
            gridLine(y.applyAsDouble(max * i / 4), label(max * i / 4));
        }
        for (int c = 0; c < chains.size(); c++) {
            Chain chain = chains.get(c);
            String colour = COLOURS[c % COLOURS.length];
            series(chain, colour, "", p -> y.applyAsDouble((double) p.checksExecuted()),
                    p -> chain.id() + " threshold=" + p.config() + ": " + p.checksExecuted() + " checks executed per op");
            series(chain, colour, "stroke-dasharray=\"2 3\"", p -> y.applyAsDouble((double) p.checksInserted()),
                    p -> chain.id() + " threshold=" + p.config() + ": " + p.checksInserted() + " methods with a check");
        }
    }

    private void faultsPanel() {
        double max = niceCeiling(1.25 * Math.max(1, Math.max(max(p -> p.faults()), max(p -> p.panics()))));
        frame(FAULTS_TOP, FAULTS_HEIGHT, "faults in one op (fault=grow run; each is a double-fault panic under fault=panic)");
        int ticks = max % 2 == 0 ? 2 : 1;
        for (int i = 0; i <= ticks; i++) {
            gridLine(FAULTS_TOP + FAULTS_HEIGHT - (double) FAULTS_HEIGHT * i / ticks, label(max * i / ticks));
        }
        double slot = slotWidth();
        double bar = slot * 0.7 / chains.size();
        for (int c = 0; c < chains.size(); c++) {
            for (SweepPoint p : instrumented(chains.get(c))) {
                double height = p.faults() / max * FAULTS_HEIGHT;
                double x = x(p.config()) - slot * 0.35 + c * bar;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                + "fill=\"%s\"><title>%s</title></rect>%n", x, FAULTS_TOP + FAULTS_HEIGHT - height,
                        bar * 0.9, height, COLOURS[c % COLOURS.length], escape(chains.get(c).id() + " threshold="
                                + p.config() + ": " + p.faults() + " faults, " + p.panics() + " panics")));
                if (p.faults() > 0 || p.panics() > 0) {
                    text(x + bar * 0.45, FAULTS_TOP + FAULTS_HEIGHT - height - 4, "middle",
                            p.panics() > 0 ? "fill=\"#b00\"" : "",
                            p.faults() + (p.panics() > 0 ? " P" + p.panics() : ""));
                }
            }
        }
    }

    private void series(Chain chain, String colour, String style, ToDoubleFunction<SweepPoint> y,
                        Function<SweepPoint, String> title) {
        List<String> xy = new ArrayList<>();
        for (SweepPoint p : instrumented(chain)) {
            double py = y.applyAsDouble(p);
            if (Double.isFinite(py)) {
                xy.add(String.format(Locale.ROOT, "%.1f,%.1f", x(p.config()), py));
            }
        }
        svg.append(String.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" %s points=\"%s\"/>%n",
                colour, style, String.join(" ", xy)));
        for (SweepPoint p : instrumented(chain)) {
            double py = y.applyAsDouble(p);
            if (Double.isFinite(py)) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                        + "<title>%s</title></circle>%n", x(p.config()), py, colour, escape(title.apply(p))));
            }
        }
    }

    private void frame(int top, int height, String title) {
        text(LEFT, top - 8, "start", "font-weight=\"bold\"", title);
        svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, top, PLOT_WIDTH, height));
    }

    private void gridLine(double y, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>%n",
                LEFT, y, LEFT + PLOT_WIDTH, y));
        text(LEFT - 6, y + 4, "end", "fill=\"#555\"", label);
    }

    private void referenceLine(double y, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#444\" "
                + "stroke-dasharray=\"6 4\"/>%n", LEFT, y, LEFT + PLOT_WIDTH, y));
        if (label != null) {
            text(LEFT + PLOT_WIDTH - 4, y - 4, "end", "fill=\"#444\"", label);
        }
    }

    private void xAxis(int bottom) {
        for (String config : configs) {
            text(x(config), bottom + 18, "middle", "", config);
        }
        text(LEFT + PLOT_WIDTH / 2.0, bottom + 40, "middle", "",
                "threshold in bytes: methods whose frame is at least this get the check (none: accounting only)");
    }

    private void legend() {
        int y = RATIO_TOP;
        text(LEGEND_X, y, "start", "font-weight=\"bold\"", "chain (uninstrumented ns/op)");
        for (int c = 0; c < chains.size(); c++) {
            Chain chain = chains.get(c);
            double base = points.stream().filter(p -> p.chain() == chain && !p.instrumented())
                    .mapToDouble(SweepPoint::nsPerOp).findFirst().orElse(Double.NaN);
            y += 22;
            svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>%n",
                    LEGEND_X, y - 5, COLOURS[c % COLOURS.length]));
            text(LEGEND_X + 20, y, "start", "", String.format(Locale.ROOT, "%s (%.1f)", chain.id(), base));
        }
        y += 36;
        for (String line : List.of("Timing: JMH average time per op,", "agent options kernel=...chains.**,",
                "threshold=X, fault=grow.", "", "Checks and faults: the agent's", "report after one op in a fresh",
                "JVM (fault=grow, so every fault", "is counted; under fault=panic the", "first one is a panic).",
                "P n over a bar: n panics (past", "THREAD_SIZE).")) {
            text(LEGEND_X, y, "start", "fill=\"#555\"", line);
            y += 16;
        }
    }

    private List<SweepPoint> instrumented(Chain chain) {
        return points.stream().filter(p -> p.chain() == chain && p.instrumented()).toList();
    }

    private double slotWidth() {
        return (double) PLOT_WIDTH / configs.size();
    }

    private double x(String config) {
        return LEFT + slotWidth() * (configs.indexOf(config) + 0.5);
    }

    private double max(ToDoubleFunction<SweepPoint> value) {
        return points.stream().filter(SweepPoint::instrumented).mapToDouble(value).filter(Double::isFinite).max()
                .orElse(1);
    }

    /** 1, 2, 5, 10, 20, 50... within [lo, hi]. */
    static List<Double> logTicks(double lo, double hi) {
        List<Double> ticks = new ArrayList<>();
        for (double decade = Math.pow(10, Math.floor(Math.log10(lo))); decade <= hi; decade *= 10) {
            for (double m : new double[] {1, 2, 5}) {
                double tick = decade * m;
                if (tick >= lo && tick <= hi) {
                    ticks.add(tick);
                }
            }
        }
        return ticks;
    }

    /** The smallest 1, 2, 4 or 5 times a power of ten at or above {@code n}, so that quarter ticks are round. */
    static double niceCeiling(double n) {
        double decade = Math.pow(10, Math.floor(Math.log10(n)));
        for (double m : new double[] {1, 2, 4, 5, 10}) {
            if (decade * m >= n) {
                return decade * m;
            }
        }
        return decade * 10;
    }

    private static String label(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n",
                x, y, anchor, attributes, escape(content)));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

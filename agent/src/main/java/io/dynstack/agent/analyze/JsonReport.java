package io.dynstack.agent.analyze;

import io.dynstack.agent.report.JsonText;
import io.dynstack.agent.weave.WeaveConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The analysis for machines: one JSON object, fields named as in {@code ANALYZE.md} and analyze.schema.json. */
public final class JsonReport {

    /** Bumped when a key changes meaning or goes away, as the report's is; analyze.schema.json has the same. */
    public static final int SCHEMA_VERSION = 1;

    private final Analysis a;
    private final CallGraph g;
    private final StringBuilder out = new StringBuilder();

    private JsonReport(Analysis analysis) {
        this.a = analysis;
        this.g = analysis.graph();
    }

    public static void print(Analysis analysis, PrintStream stream) {
        JsonReport r = new JsonReport(analysis);
        r.report();
        stream.println(r.out);
    }

    private void report() {
        int threshold = a.options().threshold();
        out.append("{\"schema_version\":").append(SCHEMA_VERSION);
        out.append(",\"classes_read\":").append(a.classesRead());
        out.append(",\"kernel_classes\":").append(a.kernelClasses().size());
        out.append(",\"threshold\":").append(threshold == WeaveConfig.NO_CHECKS ? "null" : threshold);
        out.append(",\"threshold_basis\":").append(JsonText.quoted(a.options().basis().label()));
        out.append(",\"skipped\":[");
        List<Analysis.Skipped> skipped = a.skipped();
        for (int i = 0; i < skipped.size(); i++) {
            out.append(i == 0 ? "" : ",").append("{\"origin\":").append(JsonText.quoted(skipped.get(i).origin()))
                    .append(",\"reason\":").append(JsonText.quoted(skipped.get(i).reason())).append('}');
        }
        out.append("],\"methods\":[");
        boolean first = true;
        for (int v : a.byFrameSize()) {
            out.append(first ? "" : ",");
            first = false;
            out.append("{\"method\":").append(JsonText.quoted(g.method(v).key().toString()))
                    .append(",\"frame\":").append(g.frameSize(v))
                    .append(",\"locals\":").append(g.locals(v))
                    .append(",\"checked\":").append(a.checkedByThreshold(v))
                    .append(",\"entry\":").append(g.entries().containsKey(v) ? JsonText.quoted(g.entries().get(v)) : "null")
                    .append(",\"calls\":").append(nodes(g.callees(v))).append('}');
        }
        out.append("],\"reflective_callers\":").append(nodes(g.reflectiveCallers()));
        out.append(",\"recursion\":[");
        List<int[]> recursion = g.recursion();
        for (int i = 0; i < recursion.size(); i++) {
            out.append(i == 0 ? "" : ",").append(nodes(recursion.get(i)));
        }
        out.append("],\"bound\":");
        bound(a.bound());
        CheckPlacement.Result p = a.placement();
        if (p != null) {
            out.append(",\"placement\":{\"margin\":").append(a.options().margin())
                    .append(",\"algorithm\":").append(JsonText.quoted(p.algorithm().name().toLowerCase(Locale.ROOT)))
                    .append(",\"entry_checks\":").append(nodes(p.entryChecks()))
                    .append(",\"cycle_checks\":").append(nodes(p.cycleChecks()))
                    .append(",\"chain_checks\":").append(nodes(p.chainChecks()))
                    .append(",\"bound\":");
            bound(p.bound());
            out.append('}');
        }
        out.append('}');
    }

    private void bound(ChainBound b) {
        if (!b.uncheckedCycles().isEmpty()) {
            out.append("{\"bytes\":null,\"unbounded\":true,\"cycles\":[");
            for (int i = 0; i < b.uncheckedCycles().size(); i++) {
                out.append(i == 0 ? "" : ",").append(nodes(b.uncheckedCycles().get(i)));
            }
            out.append("],\"outside_recursion\":");
            ChainBound.Chain outside = b.worstOutsideRecursion();
            if (outside == null) {
                out.append("null");
            } else {
                chain(outside);
            }
            out.append('}');
            return;
        }
        ChainBound.Chain c = b.worst();
        if (c == null) {
            out.append("{\"bytes\":0,\"unbounded\":false,\"start\":null,\"start_is_check\":false,\"path\":[]}");
            return;
        }
        chain(c);
    }

    private void chain(ChainBound.Chain c) {
        out.append("{\"bytes\":").append(c.bytes()).append(",\"unbounded\":false")
                .append(",\"start\":").append(JsonText.quoted(g.method(c.start()).key().toString()))
                .append(",\"start_is_check\":").append(!c.fromEntry())
                .append(",\"path\":[");
        for (int i = 0; i < c.links().size(); i++) {
            ChainBound.Link l = c.links().get(i);
            out.append(i == 0 ? "" : ",").append("{\"method\":")
                    .append(JsonText.quoted(g.method(l.node()).key().toString()))
                    .append(",\"frame\":").append(l.frameSize()).append(",\"total\":").append(l.total()).append('}');
        }
        out.append("]}");
    }

    private String nodes(int[] nodes) {
        return nodes(Arrays.stream(nodes).boxed().toList());
    }

    private String nodes(List<Integer> nodes) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < nodes.size(); i++) {
            s.append(i == 0 ? "" : ",").append(JsonText.quoted(g.method(nodes.get(i)).key().toString()));
        }
        return s.append(']').toString();
    }
}

package io.dynstack.agent.analyze;

import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.Json;
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
    private final Json j = new Json();

    private JsonReport(Analysis analysis) {
        this.a = analysis;
        this.g = analysis.graph();
    }

    public static void print(Analysis analysis, PrintStream stream) {
        JsonReport r = new JsonReport(analysis);
        r.report();
        stream.println(r.j);
    }

    private void report() {
        int threshold = a.options().threshold();
        j.beginObject().member("schema_version", SCHEMA_VERSION)
                .member("classes_read", a.classesRead())
                .member("kernel_classes", a.kernelClasses().size())
                .name("threshold");
        if (threshold == WeaveConfig.NO_CHECKS) {
            j.nullValue();
        } else {
            j.value(threshold);
        }
        j.member("threshold_basis", a.options().basis().label());
        j.name("skipped").beginArray();
        for (Analysis.Skipped skipped : a.skipped()) {
            j.beginObject().member("origin", skipped.origin()).member("reason", skipped.reason()).endObject();
        }
        j.endArray().name("methods").beginArray();
        for (int v : a.byFrameSize()) {
            j.beginObject().member("method", name(v))
                    .member("frame", g.frameSize(v))
                    .member("locals", g.locals(v))
                    .member("checked", a.checkedByThreshold(v))
                    .member("entry", g.entries().get(v))
                    .name("calls");
            nodes(g.callees(v));
            j.endObject();
        }
        j.endArray().name("reflective_callers");
        nodes(g.reflectiveCallers());
        j.name("recursion").beginArray();
        for (int[] cycle : g.recursion()) {
            nodes(cycle);
        }
        j.endArray().name("bound");
        bound(a.bound());
        CheckPlacement.Result p = a.placement();
        if (p != null) {
            j.name("placement").beginObject().member("margin", a.options().margin())
                    .member("algorithm", p.algorithm().name().toLowerCase(Locale.ROOT))
                    .name("entry_checks");
            nodes(p.entryChecks());
            j.name("cycle_checks");
            nodes(p.cycleChecks());
            j.name("chain_checks");
            nodes(p.chainChecks());
            j.name("bound");
            bound(p.bound());
            j.endObject();
        }
        j.endObject();
    }

    private void bound(ChainBound b) {
        if (!b.uncheckedCycles().isEmpty()) {
            j.beginObject().name("bytes").nullValue().member("unbounded", true).name("cycles").beginArray();
            for (int[] cycle : b.uncheckedCycles()) {
                nodes(cycle);
            }
            j.endArray().name("outside_recursion");
            ChainBound.Chain outside = b.worstOutsideRecursion();
            if (outside == null) {
                j.nullValue();
            } else {
                chain(outside);
            }
            j.endObject();
            return;
        }
        ChainBound.Chain c = b.worst();
        if (c == null) {
            j.beginObject().member("bytes", 0).member("unbounded", false).name("start").nullValue()
                    .member("start_is_check", false).name("path").beginArray().endArray().endObject();
            return;
        }
        chain(c);
    }

    private void chain(ChainBound.Chain c) {
        j.beginObject().member("bytes", c.bytes()).member("unbounded", false)
                .member("start", name(c.start()))
                .member("start_is_check", !c.fromEntry())
                .name("path").beginArray();
        for (ChainBound.Link l : c.links()) {
            j.beginObject().member("method", name(l.node())).member("frame", l.frameSize())
                    .member("total", l.total()).endObject();
        }
        j.endArray().endObject();
    }

    private void nodes(int[] nodes) {
        nodes(Arrays.stream(nodes).boxed().toList());
    }

    private void nodes(List<Integer> nodes) {
        j.beginArray();
        for (int node : nodes) {
            j.value(name(node));
        }
        j.endArray();
    }

    private String name(int node) {
        return g.method(node).key().toString();
    }
}

package io.dynstack.agent.analyze;

import io.dynstack.agent.weave.WeaveConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The analysis for a reader. Chains print the way Go's linker prints an overflowing nosplit chain:
 * frame by frame with sizes and the running total, so the output is its own explanation.
 */
public final class TextReport {

    private final Analysis a;
    private final CallGraph g;
    private final PrintStream out;

    private TextReport(Analysis analysis, PrintStream out) {
        this.a = analysis;
        this.g = analysis.graph();
        this.out = out;
    }

    public static void print(Analysis analysis, PrintStream out) {
        new TextReport(analysis, out).print();
    }

    private void print() {
        int threshold = a.options().threshold();
        out.printf("dynstack analyze: %d classes read, %d kernel classes, %d kernel methods, threshold %s%s%n",
                a.classesRead(), a.kernelClasses().size(), g.size(),
                threshold == WeaveConfig.NO_CHECKS ? "none" : threshold,
                a.options().basis() == WeaveConfig.Basis.LOCALS ? " on locals" : "");
        if (!a.skipped().isEmpty()) {
            out.printf("%d class files skipped as unreadable (named on stderr): the bound covers the rest%n",
                    a.skipped().size());
        }
        checkstack();
        callGraph();
        out.println();
        out.println("unchecked-chain bound, with the checks the threshold places:");
        bound(a.bound());
        if (a.placement() != null) {
            placement(a.placement());
        }
    }

    private void checkstack() {
        CheckPlacement.Result p = a.placement();
        boolean[] extra = new boolean[g.size()];
        if (p != null) {
            p.all().forEach(v -> extra[v] = true);
        }
        out.println();
        out.println("methods by frame size, largest first (check: 'threshold' where the "
                + a.options().basis().label() + " is at or above it"
                + (p == null ? "" : ", 'margin' placed for margin " + a.options().margin()) + ")");
        out.println("  frame  locals  check      method");
        // One line per method of the input, so no format string parsed per line.
        StringBuilder line = new StringBuilder();
        for (int v : a.byFrameSize()) {
            String check = a.checkedByThreshold(v) ? "threshold" : extra[v] ? "margin" : "";
            String frame = Integer.toString(g.frameSize(v));
            String locals = Integer.toString(g.locals(v));
            line.setLength(0);
            line.append("  ").repeat(' ', Math.max(0, 5 - frame.length())).append(frame).append("  ")
                    .repeat(' ', Math.max(0, 6 - locals.length())).append(locals).append("  ")
                    .append(check).repeat(' ', 9 - check.length()).append("  ").append(g.method(v).key());
            out.println(line);
        }
    }

    private void callGraph() {
        List<int[]> recursion = g.recursion();
        out.println();
        out.printf("call graph: %d methods, %d calls, %d entries, %d recursive components%n",
                g.size(), a.calls(), g.entries().size(), recursion.size());
        List<Integer> reflective = g.reflectiveCallers();
        if (!reflective.isEmpty()) {
            out.printf("  reflective calls, targets unknown, in %d methods (guarantee= maps the margin before each):%n",
                    reflective.size());
            for (int v : reflective) {
                out.println("    " + g.method(v).key());
            }
        }
        for (int[] component : recursion) {
            boolean checked = Arrays.stream(component).anyMatch(a::checkedByThreshold);
            out.println("  recursion" + (checked ? " (a check on it)" : " (no check on it)") + ": "
                    + Arrays.stream(component).mapToObj(v -> g.method(v).key().toString()).collect(Collectors.joining(", ")));
        }
    }

    private void bound(ChainBound b) {
        if (!b.uncheckedCycles().isEmpty()) {
            out.println("  unbounded: recursion with no check on the cycle can take any depth");
            for (int[] cycle : b.uncheckedCycles()) {
                int perTurn = Arrays.stream(cycle).map(g::frameSize).sum();
                out.printf("    cycle, %d bytes per turn:%n", perTurn);
                for (int v : cycle) {
                    out.printf("      %5d  %s%n", g.frameSize(v), g.method(v).key());
                }
                out.printf("      %5s  %s (again)%n", "", g.method(cycle[0]).key());
            }
            ChainBound.Chain outside = b.worstOutsideRecursion();
            if (outside != null) {
                out.printf("  outside the recursion, the longest chain: %d bytes, from %s%n", outside.bytes(),
                        startLabel(outside));
                chain(outside);
            }
            return;
        }
        ChainBound.Chain worst = b.worst();
        if (worst == null) {
            out.println("  0 bytes: no kernel methods");
            return;
        }
        out.printf("  %d bytes, from %s%n", worst.bytes(), startLabel(worst));
        chain(worst);
        out.printf("  no fault with a margin of at least %d bytes; with less, the frame that reaches an unmapped"
                + " page faults%n", worst.bytes());
    }

    private String startLabel(ChainBound.Chain c) {
        Map<Integer, String> entries = g.entries();
        if (c.fromEntry()) {
            return "the entry " + g.method(c.start()).key() + " (" + entries.get(c.start())
                    + "), its own frame counted";
        }
        return "the check in " + g.method(c.start()).key() + " (frame " + g.frameSize(c.start())
                + ", covered by the check)";
    }

    private void chain(ChainBound.Chain c) {
        out.println("      total  frame  method");
        if (!c.fromEntry()) {
            out.printf("      %5s  %5d  %s  [check: maps frame + margin]%n", "", g.frameSize(c.start()),
                    g.method(c.start()).key());
        }
        for (ChainBound.Link l : c.links()) {
            out.printf("      %5d  %5d  %s%n", l.total(), l.frameSize(), g.method(l.node()).key());
        }
    }

    private void placement(CheckPlacement.Result p) {
        out.println();
        out.printf("check placement for margin %d: %d extra checks (%d entries, %d on cycles, %d on chains,"
                        + " chain checks %s)%n", a.options().margin(), p.all().size(),
                p.entryChecks().size(), p.cycleChecks().size(), p.chainChecks().size(),
                p.algorithm() == CheckPlacement.Algorithm.EXACT
                        ? "a smallest set, by exact search" : "by greedy: an exact search would be too large");
        sites("entry", p.entryChecks(), true);
        sites("cycle", p.cycleChecks(), false);
        sites("chain", p.chainChecks(), false);
        out.println("unchecked-chain bound, with these checks and the threshold's:");
        bound(p.bound());
        out.printf("  run with the agent option guarantee=%d (or margin=%d and these checks) for no fault"
                + " short of THREAD_SIZE%n", a.options().margin(), a.options().margin());
    }

    private void sites(String kind, List<Integer> sites, boolean withReason) {
        for (int v : sites) {
            out.printf("  %-5s  %5d  %s%s%n", kind, g.frameSize(v), g.method(v).key(),
                    withReason ? "  (" + g.entries().get(v) + ")" : "");
        }
    }
}

package io.dynstack.agent.analyze;

import java.util.ArrayList;
import java.util.List;

/**
 * Where to put extra checks so that the unchecked-chain bound is at most a margin M.
 *
 * <p>Three steps, each adding methods checked although their frame is below the threshold:
 * <ol>
 *   <li><b>entries</b>: every entry not already checked, because code the analysis does not see
 *       may call it at any depth; a check there covers it wherever it is called from;</li>
 *   <li><b>cycles</b>: while the unchecked methods still hold a cycle, the method of each cyclic
 *       component with the most calls inside it (first in node order among equals);</li>
 *   <li><b>chains</b>: the components are now single methods, visited callees first; a method
 *       whose own frame plus the worst unchecked chain below it exceeds M gets the check.</li>
 * </ol>
 *
 * <p>Step 3 is greedy. Putting the check on the method where the sum first passes M, rather than
 * on any callee below it, costs one check and leaves nothing for the callers to carry, so on a
 * call tree it is optimal (any valid placement holds a check on that path at or below the method,
 * and moving it up to the method never hurts). Where callees are shared the exact minimum is a
 * length-bounded vertex cut, NP-hard in general; the greedy set stays minimal in the weaker sense
 * that no chain check can be dropped: each was placed because a path through it exceeded M.
 * It runs in time linear in the call graph per cycle-breaking round.
 */
public final class CheckPlacement {

    /** The extra checks by reason, and the bound they give. */
    public record Result(List<Integer> entryChecks, List<Integer> cycleChecks, List<Integer> chainChecks,
                         ChainBound bound) {

        /** Every method that gets a check it would not get from the threshold. */
        public List<Integer> all() {
            List<Integer> out = new ArrayList<>(entryChecks);
            out.addAll(cycleChecks);
            out.addAll(chainChecks);
            out.sort(null);
            return out;
        }
    }

    private CheckPlacement() {
    }

    /** Places checks over {@code byThreshold} so that the bound is at most {@code margin}. */
    public static Result place(CallGraph graph, boolean[] byThreshold, long margin) {
        int n = graph.size();
        boolean[] checked = byThreshold.clone();
        List<Integer> entries = new ArrayList<>();
        for (int v : graph.entries().keySet()) {
            if (!checked[v]) {
                checked[v] = true;
                entries.add(v);
            }
        }
        entries.sort(null);

        List<Integer> cycles = new ArrayList<>();
        boolean[] unchecked = new boolean[n];
        int[] calls = new int[n];
        while (true) {
            for (int v = 0; v < n; v++) {
                unchecked[v] = !checked[v];
            }
            Tarjan.Result t = Tarjan.run(graph.callees(), unchecked);
            boolean any = false;
            for (int c = 0; c < t.components().size(); c++) {
                if (t.cyclic()[c]) {
                    int v = mostConnected(graph, t, c, calls);
                    checked[v] = true;
                    cycles.add(v);
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        cycles.sort(null);

        List<Integer> chains = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            unchecked[v] = !checked[v];
        }
        long[] cost = new long[n];
        for (int[] component : Tarjan.run(graph.callees(), unchecked).components()) {
            int v = component[0];
            long below = 0;
            for (int w : graph.callees(v)) {
                if (!checked[w]) {
                    below = Math.max(below, cost[w]);
                }
            }
            cost[v] = graph.frameSize(v) + below;
            if (cost[v] > margin) {
                checked[v] = true;
                chains.add(v);
            }
        }
        chains.sort(null);
        return new Result(entries, cycles, chains, ChainBound.of(graph, checked));
    }

    /** The member with the most calls inside component {@code c}; {@code calls} is scratch, left zeroed. */
    private static int mostConnected(CallGraph graph, Tarjan.Result t, int c, int[] calls) {
        int best = -1;
        int bestCalls = -1;
        int[] members = t.components().get(c);
        for (int v : members) {
            for (int w : graph.callees(v)) {
                if (t.component()[w] == c) {
                    calls[v]++;
                    calls[w]++;
                }
            }
        }
        for (int v : members) {
            if (calls[v] > bestCalls) {
                bestCalls = calls[v];
                best = v;
            }
        }
        for (int v : members) {
            calls[v] = 0;
        }
        return best;
    }
}

package io.dynstack.agent.analyze;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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
 * <p>Step 3 first runs greedy: callees first, the method where the sum first passes M gets the
 * check. That costs one check and leaves nothing for the callers to carry, so on a call tree it is
 * optimal (any valid placement holds a check on that path at or below the method, and moving it up
 * to the method never hurts). Where callees are shared it is not: in a diamond whose two arms each
 * pass M only with the shared callee below them, greedy checks both arms where one check on the
 * callee would do. The exact minimum is a length-bounded vertex cut, NP-hard in general, so step 3
 * then searches exactly, smallest sets first, over the methods that lie on a path longer than M,
 * and keeps the first set smaller than greedy's that fits; when that search would take more than
 * {@link #EXACT_BUDGET} steps it keeps the greedy set, and says so ({@link Algorithm}). Greedy is
 * linear in the call graph; the search is exponential in the number of checks it saves, which is
 * why it is bounded. Steps 1 and 2 are not searched: step 1 is forced, and step 2's choice is a
 * heuristic (a minimum feedback vertex set is NP-hard too).
 */
public final class CheckPlacement {

    /** How the chain checks were chosen. */
    public enum Algorithm { GREEDY, EXACT }

    /** Steps of the exact search (bound evaluations times graph size) before it leaves the greedy set. */
    static final long EXACT_BUDGET = 50_000_000L;

    /** The extra checks by reason, how the chain checks were found, and the bound they give. */
    public record Result(List<Integer> entryChecks, List<Integer> cycleChecks, List<Integer> chainChecks,
                         Algorithm algorithm, ChainBound bound) {

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
        return place(graph, byThreshold, margin, true);
    }

    /**
     * As {@link #place(CallGraph, boolean[], long)}; with {@code checkEntries} false, step 1 is left
     * out: an entry is then a chain start whose own frame counts, and gets a check only when its
     * chain passes the margin. That is the placement for code whose unseen callers map the margin
     * before they call (a check at every indirect call site of an imported kernel, whose targets
     * are its entries), not for {@code guarantee=}, which keeps step 1.
     */
    public static Result place(CallGraph graph, boolean[] byThreshold, long margin, boolean checkEntries) {
        return place(graph, byThreshold, margin, checkEntries, EXACT_BUDGET);
    }

    /** As {@link #place(CallGraph, boolean[], long, boolean)}, with the exact search given {@code exactBudget} steps. */
    static Result place(CallGraph graph, boolean[] byThreshold, long margin, boolean checkEntries, long exactBudget) {
        int n = graph.size();
        boolean[] checked = byThreshold.clone();
        List<Integer> entries = new ArrayList<>();
        for (int v : checkEntries ? graph.entries().keySet() : List.<Integer>of()) {
            if (!checked[v]) {
                checked[v] = true;
                entries.add(v);
            }
        }
        entries.sort(null);

        List<Integer> cycles = new ArrayList<>();
        boolean[] unchecked = new boolean[n];
        for (int v = 0; v < n; v++) {
            unchecked[v] = !checked[v];
        }
        Tarjan.Result components = Tarjan.run(graph.callees(), unchecked);
        int[] localIndex = new int[n];
        Arrays.fill(localIndex, -1);
        for (int c = 0; c < components.components().size(); c++) {
            if (components.cyclic()[c]) {
                breakCycles(graph, components.components().get(c), checked, cycles, localIndex);
            }
        }
        cycles.sort(null);

        for (int v = 0; v < n; v++) {
            unchecked[v] = !checked[v];
        }
        int[] order = Tarjan.run(graph.callees(), unchecked).components().stream().mapToInt(c -> c[0]).toArray();
        List<Integer> greedy = greedy(graph, checked, order, margin);
        List<Integer> exact = exact(graph, checked, order, margin, greedy, exactBudget);
        List<Integer> chains = exact != null ? exact : greedy;
        Algorithm algorithm = exact != null ? Algorithm.EXACT : Algorithm.GREEDY;
        for (int v : chains) {
            checked[v] = true;
        }
        return new Result(entries, cycles, chains, algorithm, ChainBound.of(graph, checked));
    }

    /** Callees first, a method whose chain passes the margin gets the check. */
    private static List<Integer> greedy(CallGraph graph, boolean[] fixed, int[] order, long margin) {
        boolean[] checked = fixed.clone();
        long[] cost = new long[graph.size()];
        List<Integer> chains = new ArrayList<>();
        for (int v : order) {
            cost[v] = graph.frameSize(v) + below(graph, checked, cost, v);
            if (cost[v] > margin) {
                checked[v] = true;
                chains.add(v);
            }
        }
        chains.sort(null);
        return chains;
    }

    private static long below(CallGraph graph, boolean[] checked, long[] cost, int v) {
        long below = 0;
        for (int w : graph.callees(v)) {
            if (!checked[w]) {
                below = Math.max(below, cost[w]);
            }
        }
        return below;
    }

    /**
     * The smallest set: one smaller than the greedy set if any fits, else the greedy set, which the
     * search has then shown to be a smallest one; null when the search would exceed
     * {@code budget} steps. Only methods on a path that passes the margin are candidates.
     */
    private static List<Integer> exact(CallGraph graph, boolean[] fixed, int[] order, long margin,
                                       List<Integer> greedySet, long budget) {
        int greedySize = greedySet.size();
        int[] candidates = onLongPaths(graph, fixed, order, margin);
        long work = (long) order.length + graph.size();
        long steps = 0;
        boolean[] checked = fixed.clone();
        long[] cost = new long[graph.size()];
        for (int k = 1; k < greedySize; k++) {
            steps += binomial(candidates.length, k) * work;
            if (steps > budget) {
                return null;
            }
            int[] pick = new int[k];
            for (int i = 0; i < k; i++) {
                pick[i] = i;
            }
            do {
                for (int i : pick) {
                    checked[candidates[i]] = true;
                }
                if (fits(graph, checked, cost, order, margin)) {
                    List<Integer> out = new ArrayList<>();
                    for (int i : pick) {
                        out.add(candidates[i]);
                    }
                    return out;
                }
                for (int i : pick) {
                    checked[candidates[i]] = false;
                }
            } while (nextCombination(pick, candidates.length));
        }
        return greedySet;
    }

    /** Whether every unchecked chain is within the margin: each unchecked method is reached from a start. */
    private static boolean fits(CallGraph graph, boolean[] checked, long[] cost, int[] order, long margin) {
        for (int v : order) {
            if (!checked[v]) {
                cost[v] = graph.frameSize(v) + below(graph, checked, cost, v);
                if (cost[v] > margin) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Unchecked methods on some unchecked path longer than the margin: the only useful places for a check. */
    private static int[] onLongPaths(CallGraph graph, boolean[] checked, int[] order, long margin) {
        int n = graph.size();
        long[] cost = new long[n];
        long[] above = new long[n];
        for (int v : order) {
            cost[v] = graph.frameSize(v) + below(graph, checked, cost, v);
        }
        for (int i = order.length - 1; i >= 0; i--) {
            int v = order[i];
            long through = above[v] + graph.frameSize(v);
            for (int w : graph.callees(v)) {
                if (!checked[w]) {
                    above[w] = Math.max(above[w], through);
                }
            }
        }
        return Arrays.stream(order).filter(v -> above[v] + cost[v] > margin).sorted().toArray();
    }

    private static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
            if (r > EXACT_BUDGET) {
                return EXACT_BUDGET + 1;
            }
        }
        return r;
    }

    private static boolean nextCombination(int[] pick, int n) {
        int k = pick.length;
        int i = k - 1;
        while (i >= 0 && pick[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        pick[i]++;
        for (int j = i + 1; j < k; j++) {
            pick[j] = pick[j - 1] + 1;
        }
        return true;
    }

    /**
     * Checks members of one cyclic component until no cycle of unchecked members is left: the
     * member with the most calls inside its component gets the check, then what is left of that
     * component is split into components again, and so on. Checks in one component cannot break
     * or make a cycle in another, so each is worked on its own small graph, and a large component
     * costs its own size per check, not the whole graph's.
     */
    private static void breakCycles(CallGraph graph, int[] members, boolean[] checked, List<Integer> out,
                                    int[] localIndex) {
        Deque<int[]> todo = new ArrayDeque<>();
        todo.push(members);
        while (!todo.isEmpty()) {
            int[] part = todo.pop();
            for (int i = 0; i < part.length; i++) {
                localIndex[part[i]] = i;
            }
            int[][] callees = new int[part.length][];
            for (int i = 0; i < part.length; i++) {
                callees[i] = Arrays.stream(graph.callees(part[i])).filter(w -> localIndex[w] >= 0)
                        .map(w -> localIndex[w]).toArray();
            }
            for (int v : part) {
                localIndex[v] = -1;
            }
            boolean[] all = new boolean[part.length];
            Arrays.fill(all, true);
            Tarjan.Result t = Tarjan.run(callees, all);
            for (int c = 0; c < t.components().size(); c++) {
                if (!t.cyclic()[c]) {
                    continue;
                }
                int[] component = t.components().get(c);
                int v = mostConnected(callees, t, c);
                checked[part[v]] = true;
                out.add(part[v]);
                if (component.length > 1) {
                    todo.push(Arrays.stream(component).filter(u -> u != v).map(u -> part[u]).toArray());
                }
            }
        }
    }

    /** The member of component {@code c} with the most calls inside it; the first among equals. */
    private static int mostConnected(int[][] callees, Tarjan.Result t, int c) {
        int[] members = t.components().get(c);
        int[] calls = new int[callees.length];
        for (int v : members) {
            for (int w : callees[v]) {
                if (t.component()[w] == c) {
                    calls[v]++;
                    calls[w]++;
                }
            }
        }
        int best = members[0];
        for (int v : members) {
            if (calls[v] > calls[best]) {
                best = v;
            }
        }
        return best;
    }
}

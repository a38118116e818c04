package io.dynstack.agent.analyze;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The unchecked-chain bound: the most bytes of unchecked frames any call path can push after the
 * last point where the stack was known to be mapped.
 *
 * <p>Those points are the checks and the entries. The runtime's {@code enterChecked(frame)} maps
 * the stack so that {@code sp - frame - margin} is mapped: after a check at method C, the frames
 * below C's own may take {@code margin} bytes without a fault. The unchecked frames F1..Fk that a
 * path runs after C, before it reaches the next checked method, take
 *
 * <pre>
 *   below(C)  = max over callees F of C:  cost(F)
 *   cost(F)   = 0                          if F is checked (a new chain starts there)
 *             = frame(F) + below(F)        otherwise
 * </pre>
 *
 * C's own frame is not in the sum: the check covered it. An entry that is not checked has no check
 * above it that the analysis can see, so its chain counts its own frame too: {@code cost(E)}, the
 * bytes it takes below the sp it was called at. The bound is the largest of these over every check
 * and every unchecked entry. A cycle of unchecked methods (recursion with no check on the cycle)
 * makes it unbounded.
 *
 * <p>So with every entry checked, {@code bound <= M} and a runtime margin of at least M, no woven
 * frame can fault short of THREAD_SIZE: pages are mapped whole, so a check maps at least what
 * it must.
 */
public final class ChainBound {

    /** Stands for an unbounded chain (an unchecked cycle on the way). */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /** One frame of a chain: the method, its frame size, and the bytes the chain has taken with it. */
    public record Link(int node, int frameSize, long total) {
    }

    /**
     * A chain from a start to where its bytes are largest.
     *
     * @param start     the check or entry the chain starts from
     * @param fromEntry whether the start is an unchecked entry (its own frame counts)
     * @param links     the unchecked frames, in call order, starting with the entry's own frame
     */
    public record Chain(int start, boolean fromEntry, long bytes, List<Link> links) {
    }

    private final CallGraph graph;
    private final boolean[] checked;
    private final long[] cost;
    private final int[] next;
    /** As cost and next, over the paths that never enter an unchecked cycle; {@link #OUTSIDE} on cycles. */
    private final long[] acyclicCost;
    private final int[] acyclicNext;
    private final List<int[]> cycles = new ArrayList<>();

    /** The acyclic cost of a method on an unchecked cycle: such paths are left out. */
    private static final long OUTSIDE = -1;

    private ChainBound(CallGraph graph, boolean[] checked) {
        this.graph = graph;
        this.checked = checked;
        this.cost = new long[graph.size()];
        this.next = new int[graph.size()];
        this.acyclicCost = new long[graph.size()];
        this.acyclicNext = new int[graph.size()];
    }

    /** The bound with the methods in {@code checked} checked; every entry is a start. */
    public static ChainBound of(CallGraph graph, boolean[] checked) {
        ChainBound b = new ChainBound(graph, checked.clone());
        b.compute();
        return b;
    }

    private void compute() {
        int n = graph.size();
        boolean[] unchecked = new boolean[n];
        for (int v = 0; v < n; v++) {
            unchecked[v] = !checked[v];
        }
        Tarjan.Result t = Tarjan.run(graph.callees(), unchecked);
        Arrays.fill(next, -1);
        Arrays.fill(acyclicNext, -1);
        for (int c = 0; c < t.components().size(); c++) {
            int[] members = t.components().get(c);
            if (t.cyclic()[c]) {
                for (int v : members) {
                    cost[v] = UNBOUNDED;
                    acyclicCost[v] = OUTSIDE;
                }
                cycles.add(cycle(members, t.component(), c));
                continue;
            }
            int v = members[0];
            long below = below(v, cost, next);
            cost[v] = below == UNBOUNDED ? UNBOUNDED : graph.frameSize(v) + below;
            acyclicCost[v] = graph.frameSize(v) + below(v, acyclicCost, acyclicNext);
        }
    }

    /** The most the unchecked callees of {@code v} take by {@code costs}; records the callee that takes it. */
    private long below(int v, long[] costs, int[] nexts) {
        long max = 0;
        for (int w : graph.callees(v)) {
            if (!checked[w] && w != v && costs[w] > max) {
                max = costs[w];
                nexts[v] = w;
            }
        }
        return max;
    }

    /** A cycle through the component's first node, found breadth-first inside the component. */
    private int[] cycle(int[] members, int[] component, int c) {
        int start = members[0];
        Map<Integer, Integer> parent = new HashMap<>();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.add(start);
        parent.put(start, -1);
        while (!todo.isEmpty()) {
            int v = todo.poll();
            for (int w : graph.callees(v)) {
                if (component[w] != c) {
                    continue;
                }
                if (w == start) {
                    List<Integer> path = new ArrayList<>();
                    for (int u = v; u != -1; u = parent.get(u)) {
                        path.add(0, u);
                    }
                    return path.stream().mapToInt(Integer::intValue).toArray();
                }
                if (parent.putIfAbsent(w, v) == null) {
                    todo.add(w);
                }
            }
        }
        throw new IllegalStateException("component " + c + " has no cycle through " + start);
    }

    /** Bytes the chain starting at {@code start} can take: below it if checked, with its frame if not. */
    public long bytesFrom(int start) {
        return bytesFrom(start, cost);
    }

    private long bytesFrom(int start, long[] costs) {
        if (!checked[start]) {
            return costs[start];
        }
        long max = 0;
        for (int w : graph.callees(start)) {
            if (!checked[w]) {
                max = Math.max(max, costs[w]);
            }
        }
        return max;
    }

    /** The starts: every checked method, and every entry that is not checked. */
    public List<Integer> starts() {
        List<Integer> out = new ArrayList<>();
        for (int v = 0; v < graph.size(); v++) {
            if (checked[v] || graph.entries().containsKey(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** The bound in bytes, or {@link #UNBOUNDED}. */
    public long bound() {
        return worst() == null ? 0 : worst().bytes();
    }

    /** The chain that reaches the bound (the first start in node order among equals); null with no starts. */
    public Chain worst() {
        return worst(cost, next);
    }

    /**
     * With unchecked recursion, the longest chain that never enters it: what the bound would be
     * once every such cycle had a check, or the next problem after the recursion. Null when no
     * start has such a chain; the same as {@link #worst()} when there is no unchecked recursion.
     */
    public Chain worstOutsideRecursion() {
        return worst(acyclicCost, acyclicNext);
    }

    private Chain worst(long[] costs, int[] nexts) {
        int best = -1;
        long bytes = -1;
        for (int v : starts()) {
            long b = bytesFrom(v, costs);
            if (b > bytes) {
                bytes = b;
                best = v;
            }
        }
        return best < 0 ? null : chain(best, costs, nexts);
    }

    /** The chain from {@code start}, frame by frame, along the callees that take the most. */
    public Chain chain(int start) {
        return chain(start, cost, next);
    }

    private Chain chain(int start, long[] costs, int[] nexts) {
        List<Link> links = new ArrayList<>();
        long total = 0;
        int v;
        if (checked[start]) {
            v = -1;
            long max = 0;
            for (int w : graph.callees(start)) {
                if (!checked[w] && costs[w] > max) {
                    max = costs[w];
                    v = w;
                }
            }
        } else {
            v = start;
        }
        while (v >= 0 && costs[v] != UNBOUNDED && costs[v] != OUTSIDE) {
            total += graph.frameSize(v);
            links.add(new Link(v, graph.frameSize(v), total));
            v = nexts[v];
        }
        return new Chain(start, !checked[start], bytesFrom(start, costs), links);
    }

    /** Cycles of unchecked methods, each as the nodes in call order: recursion no check bounds. */
    public List<int[]> uncheckedCycles() {
        return cycles;
    }
}

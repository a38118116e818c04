package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-method figures of one run, and the deepest chains: what stacks that parked or were freed have
 * handed over, plus the grows, faults and panics each method caused (counted as they happen, on
 * those slow paths). Never touched by entry or exit; every method holds this object's lock.
 */
final class MethodTotals {

    private long[] entries = new long[0];
    private long[] maxDepth = new long[0];
    private long[] grows = new long[0];
    private long[] faults = new long[0];
    private long[] panics = new long[0];
    /** Deepest chains handed over, each with the number of stacks whose deepest chain it is. */
    private final Map<List<Oops.ChainFrame>, Folded> chains = new LinkedHashMap<>();
    private StackStats.Deepest deepest;

    synchronized void grew(int method) {
        grows = increment(grows, method);
    }

    synchronized void faulted(int method) {
        faults = increment(faults, method);
    }

    synchronized void panicked(int method) {
        panics = increment(panics, method);
    }

    private static long[] increment(long[] counts, int method) {
        long[] grown = method < counts.length ? counts : Arrays.copyOf(counts, Math.max(method + 1, counts.length * 2));
        grown[method]++;
        return grown;
    }

    /** Takes over a stack's per-method counts and its deepest chain; the stack starts counting afresh. */
    synchronized void merge(KernelStack stack) {
        long[] counts = stack.methodCounts;
        if (counts.length > 0) {
            int methods = counts.length / 2;
            if (entries.length < methods) {
                entries = Arrays.copyOf(entries, methods);
                maxDepth = Arrays.copyOf(maxDepth, methods);
            }
            add(counts, entries, maxDepth);
            stack.methodCounts = KernelStack.NO_COUNTS;
        }
        if (stack.deepestChain != stack.mergedChain) {
            List<Oops.ChainFrame> kept = replace(chains, stack.mergedChain, stack.deepestChain);
            stack.deepestChain = kept;
            stack.mergedChain = kept;
            deepest = deeperOf(deepest, stack, kept);
        }
    }

    private static void add(long[] counts, long[] entries, long[] maxDepth) {
        for (int id = 0; id < counts.length / 2; id++) {
            entries[id] += counts[2 * id];
            maxDepth[id] = Math.max(maxDepth[id], counts[2 * id + 1]);
        }
    }

    /** One chain and how many stacks have it as their deepest; stacks share the one list. */
    private static final class Folded {
        final List<Oops.ChainFrame> chain;
        long stacks;

        Folded(List<Oops.ChainFrame> chain, long stacks) {
            this.chain = chain;
            this.stacks = stacks;
        }
    }

    /** Moves one stack from chain {@code old} (null: none yet) to {@code chain}; returns the map's own copy of it. */
    private static List<Oops.ChainFrame> replace(Map<List<Oops.ChainFrame>, Folded> chains,
                                                 List<Oops.ChainFrame> old, List<Oops.ChainFrame> chain) {
        if (old != null) {
            Folded was = chains.get(old);
            if (was != null && --was.stacks == 0) {
                chains.remove(old);
            }
        }
        Folded now = chains.computeIfAbsent(chain, k -> new Folded(k, 0));
        now.stacks++;
        return now.chain;
    }

    private static StackStats.Deepest deeperOf(StackStats.Deepest deepest, KernelStack stack,
                                               List<Oops.ChainFrame> chain) {
        if (chain.isEmpty() || deepest != null && deepest.depthBytes() >= chain.get(0).depth()) {
            return deepest;
        }
        return new StackStats.Deepest(stackName(stack), chain.get(0).depth(), chain);
    }

    static String stackName(KernelStack stack) {
        return stack.owner == null ? "IRQ stack of CPU " + stack.cpu : stack.owner.getName();
    }

    /** The figures now: what was handed over, plus what {@code live} stacks hold (read, not taken). */
    synchronized Snapshot snapshot(Iterable<KernelStack> live) {
        long[] e = entries.clone();
        long[] d = maxDepth.clone();
        Map<List<Oops.ChainFrame>, Folded> c = new LinkedHashMap<>();
        chains.forEach((chain, folded) -> c.put(chain, new Folded(chain, folded.stacks)));
        StackStats.Deepest deepestNow = deepest;
        for (KernelStack stack : live) {
            long[] counts = stack.methodCounts;
            if (e.length < counts.length / 2) {
                e = Arrays.copyOf(e, counts.length / 2);
                d = Arrays.copyOf(d, counts.length / 2);
            }
            add(counts, e, d);
            List<Oops.ChainFrame> chain = stack.deepestChain;
            if (chain != null && chain != stack.mergedChain) {
                replace(c, stack.mergedChain, chain);
                deepestNow = deeperOf(deepestNow, stack, chain);
            }
        }
        List<StackStats.MethodStats> methods = new ArrayList<>();
        for (WovenMethods.Method m : WovenMethods.all()) {
            int id = m.id();
            long entered = at(e, id);
            methods.add(new StackStats.MethodStats(m, entered, m.checked() ? entered : 0, at(grows, id),
                    at(faults, id), at(panics, id), at(d, id)));
        }
        List<StackStats.Chain> folded = new ArrayList<>();
        c.forEach((chain, f) -> {
            if (!chain.isEmpty()) {
                folded.add(new StackStats.Chain(chain, f.stacks));
            }
        });
        return new Snapshot(methods, folded, deepestNow);
    }

    private static long at(long[] counts, int id) {
        return id < counts.length ? counts[id] : 0;
    }

    record Snapshot(List<StackStats.MethodStats> methods, List<StackStats.Chain> chains, StackStats.Deepest deepest) {
    }
}

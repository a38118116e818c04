package io.dynstack.runtime;

import java.util.List;

/**
 * The simulation's totals at one moment, in groups of what belongs together.
 *
 * @param config  the stack configuration of the run
 * @param stacks  how many stacks there were, are and were freed
 * @param memory  the bytes mapped, given back and held in reserves
 * @param events  what the entries caused: checks, grows, faults, panics, expand_stack calls
 * @param depth   how deep the stacks went, and the chains that went deepest
 * @param methods every woven method with its figures in this run, by id
 * @param design  the costs that only the 2026 thread's designs have
 */
public record StackStats(StackConfig config, Stacks stacks, Memory memory, Events events, Depth depth,
                         List<MethodStats> methods, DesignStats design) {

    /**
     * Stack lifetimes.
     *
     * @param created      stacks ever created
     * @param live         stacks alive now
     * @param peakLive     the most stacks alive at once
     * @param reaped       stacks freed after their thread was found ended, not by {@code Kernel.run} or {@code release}
     * @param reaperReaped of those, the ones the periodic reaper found: the one figure that depends on timing
     */
    public record Stacks(long created, long live, long peakLive, long reaped, long reaperReaped) {
    }

    /**
     * Memory of the stacks and of the per-CPU reserves.
     *
     * @param mappedBytes       bytes mapped now, over all live stacks
     * @param peakMappedBytes   the most bytes mapped at once
     * @param releasedBytes     bytes given back by threads parking at idle points
     * @param reserveBytes      bytes held in the per-CPU reserves now
     * @param reservePagesTaken pages no-sleep growth took from reserves
     * @param reserveRefills    times a reserve was topped up again
     */
    public record Memory(long mappedBytes, long peakMappedBytes, long releasedBytes, long reserveBytes,
                         long reservePagesTaken, long reserveRefills) {
    }

    /**
     * What kernel entries caused, over all stacks.
     *
     * @param checksExecuted checks run at entries, the IRQ stacks' included
     * @param grows          grows: a check or a fault that mapped pages, or an expand_stack
     * @param faults         faults at entries (fault=grow)
     * @param panics         panics at entries
     * @param expandCalls    expand_stack calls
     */
    public record Events(long checksExecuted, long grows, long faults, long panics, long expandCalls) {
    }

    /**
     * How deep the stacks went.
     *
     * @param maxBytes      the deepest any stack has been
     * @param histogram     stacks by their deepest point, in 1 KiB buckets: [0] holds 0..1024 bytes; it ends
     *                      at the deepest bucket that holds a stack, so its size does not depend on THREAD_SIZE
     * @param irqMaxBytes   the deepest any IRQ stack went
     * @param deepest       the deepest chain of the run, or null when no woven method ran
     * @param deepestChains the chain that reached each stack's deepest point, identical chains folded
     */
    public record Depth(int maxBytes, long[] histogram, int irqMaxBytes, Deepest deepest, List<Chain> deepestChains) {
    }

    /**
     * One woven method's figures.
     *
     * @param entries       entries of the method (an entry that panicked did not happen)
     * @param checks        checks its entries ran: its entries when it got the check, else 0
     * @param grows         grows its entry caused: a check or a fault that mapped pages, or its expand_stack
     * @param faults        faults at its entry (fault=grow)
     * @param panics        panics at its entry
     * @param maxDepthBytes the deepest depth at its entry, its own frame included
     */
    public record MethodStats(WovenMethods.Method method, long entries, long checks, long grows, long faults,
                              long panics, long maxDepthBytes) {
    }

    /** A chain of frames, innermost first as in an oops, that was the deepest of {@code stacks} stacks. */
    public record Chain(List<Oops.ChainFrame> frames, long stacks) {
        public int depthBytes() {
            return frames.get(0).depth();
        }
    }

    /** The deepest chain of the run, innermost first, and the thread (or IRQ stack) that ran it. */
    public record Deepest(String thread, int depthBytes, List<Oops.ChainFrame> frames) {
    }

    /**
     * Per-CPU IRQ stacks: one per CPU with {@link StackConfig#irqStacks()}, else none. Their bytes
     * are in the mapped figures.
     */
    public int irqStacks() {
        return config.irqStacks() ? config.cpus() : 0;
    }

    /** What fixed stacks would take for the most stacks alive at once: peak stacks x THREAD_SIZE. */
    public long baseBytes() {
        return stacks.peakLive() * config.threadSize();
    }

    /** Memory saved at the peak against fixed stacks, in percent. */
    public double savingPercent() {
        long base = baseBytes();
        return base == 0 ? 0 : 100.0 * (base - memory.peakMappedBytes()) / base;
    }
}

package io.dynstack.runtime;

/**
 * The simulation's totals at one moment.
 *
 * @param stacksCreated   stacks ever created
 * @param liveStacks      stacks alive now
 * @param peakLiveStacks  the most stacks alive at once
 * @param mappedBytes     bytes mapped now, over all live stacks
 * @param peakMappedBytes the most bytes mapped at once
 * @param maxDepthBytes   the deepest any stack has been
 * @param depthHistogram  stacks by their deepest point, in 1 KiB buckets: [0] holds 0..1024 bytes
 * @param irqStacks       per-CPU IRQ stacks (their bytes are in the mapped figures)
 * @param irqMaxDepthBytes the deepest any IRQ stack went
 * @param reserveBytes    bytes held in the per-CPU reserves now
 * @param reservePagesTaken pages no-sleep growth took from reserves
 * @param reserveRefills  times a reserve was topped up again
 * @param releasedBytes   bytes given back by threads parking at idle points
 * @param design          the costs that only the 2026 thread's designs have
 */
public record StackStats(StackConfig config, long stacksCreated, long liveStacks, long peakLiveStacks,
                         long mappedBytes, long peakMappedBytes, long checksExecuted, long grows, long faults,
                         long panics, long expandCalls, int maxDepthBytes, long[] depthHistogram, int irqStacks,
                         int irqMaxDepthBytes, long reserveBytes, long reservePagesTaken, long reserveRefills,
                         long releasedBytes, DesignStats design) {

    /** What fixed stacks would take for the most stacks alive at once: peak stacks x THREAD_SIZE. */
    public long baseBytes() {
        return peakLiveStacks * config.threadSize();
    }

    /** What fixed stacks would take for the stacks alive now. */
    public long liveBaseBytes() {
        return liveStacks * config.threadSize();
    }

    /** Memory saved at the peak against fixed stacks, in percent. */
    public double savingPercent() {
        long base = baseBytes();
        return base == 0 ? 0 : 100.0 * (base - peakMappedBytes) / base;
    }
}

package io.dynstack.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one simulation run. Events on slow paths (grow, fault, panic, expand_stack,
 * stack creation) update shared counters directly; what happens on every entry (checks, depth)
 * stays in each stack and is merged here when the stack is freed, or read when a report asks.
 */
final class Accounting {

    /** Depth histogram granule. */
    static final int BUCKET_BYTES = 1024;

    final StackConfig config;

    private final AtomicLong mapped = new AtomicLong();
    private final AtomicLong peakMapped = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    final LongAdder grows = new LongAdder();
    final LongAdder faults = new LongAdder();
    final LongAdder panics = new LongAdder();
    final LongAdder expandCalls = new LongAdder();
    private final LongAdder checksOfFreed = new LongAdder();
    private final AtomicInteger maxDepthOfFreed = new AtomicInteger();
    private final LongAdder[] depthHistogram;

    Accounting(StackConfig config) {
        this.config = config;
        this.depthHistogram = new LongAdder[(config.threadSize() + BUCKET_BYTES - 1) / BUCKET_BYTES];
        for (int i = 0; i < depthHistogram.length; i++) {
            depthHistogram[i] = new LongAdder();
        }
    }

    void map(long bytes) {
        long now = mapped.addAndGet(bytes);
        if (bytes > 0) {
            peakMapped.accumulateAndGet(now, Math::max);
        }
    }

    void created(KernelStack stack) {
        created.incrementAndGet();
        peakLive.accumulateAndGet(live.incrementAndGet(), Math::max);
        map(stack.mappedBytes());
    }

    void freed(KernelStack stack) {
        live.decrementAndGet();
        map(-stack.mappedBytes());
        checksOfFreed.add(stack.checks);
        maxDepthOfFreed.accumulateAndGet(stack.maxDepth(), Math::max);
        depthHistogram[bucket(stack.maxDepth())].increment();
    }

    private int bucket(int depth) {
        return depth == 0 ? 0 : Math.min((depth - 1) / BUCKET_BYTES, depthHistogram.length - 1);
    }

    /** Totals now: freed stacks from the counters here, live ones read from {@code liveStacks}. */
    StackStats stats(Iterable<KernelStack> liveStacks) {
        long checks = checksOfFreed.sum();
        int maxDepth = maxDepthOfFreed.get();
        long[] histogram = new long[depthHistogram.length];
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] = depthHistogram[i].sum();
        }
        for (KernelStack s : liveStacks) {
            if (s.accounting == this) {
                checks += s.checks;
                maxDepth = Math.max(maxDepth, s.maxDepth());
                histogram[bucket(s.maxDepth())]++;
            }
        }
        return new StackStats(config, created.get(), live.get(), peakLive.get(), mapped.get(), peakMapped.get(),
                checks, grows.sum(), faults.sum(), panics.sum(), expandCalls.sum(), maxDepth, histogram);
    }
}

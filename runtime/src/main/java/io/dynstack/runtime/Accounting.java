package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
    final MethodTotals methods = new MethodTotals();
    private final LongAdder checksOfFreed = new LongAdder();
    private final AtomicInteger maxDepthOfFreed = new AtomicInteger();
    /** Freed stacks by deepest point, in BUCKET_BYTES buckets; grown to the deepest bucket used, not sized by THREAD_SIZE. */
    private long[] depthHistogram = new long[0];
    private final int buckets;
    private final LongAdder reaped = new LongAdder();
    private final LongAdder reapedByReaper = new LongAdder();
    /** Pages waiting in each CPU's reserve. */
    private final AtomicIntegerArray reserve;
    private final LongAdder reserveTaken = new LongAdder();
    private final LongAdder reserveRefills = new LongAdder();
    private final LongAdder releasedBytes = new LongAdder();
    /** Per-CPU IRQ stacks, all mapped from the start; empty unless interrupts run on their own stacks. */
    final KernelStack[] irqStacks;
    /** The 2026 thread's designs; null when the run uses none of them. */
    final Designs designs;

    Accounting(StackConfig config) {
        this.config = config;
        this.buckets = (config.threadSize() + BUCKET_BYTES - 1) / BUCKET_BYTES;
        this.reserve = new AtomicIntegerArray(config.reserves() ? config.cpus() : 0);
        for (int cpu = 0; cpu < reserve.length(); cpu++) {
            reserve.set(cpu, config.reservePages());
        }
        this.designs = config.design().active() ? new Designs(this) : null;
        this.irqStacks = new KernelStack[config.irqStacks() ? config.cpus() : 0];
        for (int cpu = 0; cpu < irqStacks.length; cpu++) {
            irqStacks[cpu] = new KernelStack(this, null, cpu, config.threadSize());
            map(config.threadSize());
        }
    }

    /** Takes {@code pages} from the CPU's reserve; false when it has fewer. */
    boolean takeReserve(int cpu, int pages) {
        while (true) {
            int left = reserve.get(cpu);
            if (left < pages) {
                return false;
            }
            if (reserve.compareAndSet(cpu, left, left - pages)) {
                reserveTaken.add(pages);
                return true;
            }
        }
    }

    /** Tops the CPU's reserve up to its size again; under a memory bound only if the pages are free. */
    void refill(int cpu) {
        if (designs != null && config.design().bounded()) {
            int missing = config.reservePages() - reserve.get(cpu);
            if (missing > 0) {
                boolean found = designs.allocate(missing);
                if (found) {
                    reserve.addAndGet(cpu, missing);
                    reserveRefills.increment();
                }
                designs.refilled(found);
            }
            return;
        }
        int missing = config.reservePages() - reserve.getAndSet(cpu, config.reservePages());
        if (missing > 0) {
            reserveRefills.increment();
        }
    }

    void released(int bytes) {
        releasedBytes.add(bytes);
        map(-bytes);
    }

    private long reserveBytes() {
        long pages = 0;
        for (int cpu = 0; cpu < reserve.length(); cpu++) {
            pages += reserve.get(cpu);
        }
        return pages * config.pageSize();
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
        if (designs != null) {
            designs.created();
        }
    }

    long live() {
        return live.get();
    }

    /** Whether a new stack with {@code initial} bytes mapped would set a peak, counting every stack not yet freed. */
    boolean wouldSetPeak(int initial) {
        return live.get() + 1 > peakLive.get() || mapped.get() + initial > peakMapped.get();
    }

    boolean wouldSetMappedPeak(int bytes) {
        return mapped.get() + bytes > peakMapped.get();
    }

    /** Hands a stack's per-method counts and deepest chain to the totals (at park and when freed). */
    void merge(KernelStack stack) {
        methods.merge(stack);
    }

    void freed(KernelStack stack) {
        live.decrementAndGet();
        if (designs != null) {
            designs.freed(stack);
        }
        map(-stack.mappedBytes());
        checksOfFreed.add(stack.checks);
        maxDepthOfFreed.accumulateAndGet(stack.maxDepth(), Math::max);
        int bucket = bucket(stack.maxDepth());
        synchronized (this) {
            if (bucket >= depthHistogram.length) {
                depthHistogram = Arrays.copyOf(depthHistogram, bucket + 1);
            }
            depthHistogram[bucket]++;
        }
        merge(stack);
    }

    /** Freed after its thread was found ended; {@code byReaper} when the periodic reaper found it. */
    void reaped(KernelStack stack, boolean byReaper) {
        freed(stack);
        reaped.increment();
        if (byReaper) {
            reapedByReaper.increment();
        }
    }

    private int bucket(int depth) {
        return depth == 0 ? 0 : Math.min((depth - 1) / BUCKET_BYTES, buckets - 1);
    }

    /** Totals now: freed stacks from the counters here, live ones read from {@code liveStacks}. */
    StackStats stats(Iterable<KernelStack> liveStacks) {
        long checks = checksOfFreed.sum();
        int maxDepth = maxDepthOfFreed.get();
        long[] histogram;
        synchronized (this) {
            histogram = depthHistogram.clone();
        }
        for (KernelStack s : liveStacks) {
            if (s.accounting == this && s.owner != null) {
                checks += s.checks;
                maxDepth = Math.max(maxDepth, s.maxDepth());
                int bucket = bucket(s.maxDepth());
                if (bucket >= histogram.length) {
                    histogram = Arrays.copyOf(histogram, bucket + 1);
                }
                histogram[bucket]++;
            }
        }
        List<KernelStack> unmerged = new ArrayList<>();
        for (KernelStack s : liveStacks) {
            if (s.accounting == this && s.owner != null) {
                unmerged.add(s);
            }
        }
        unmerged.addAll(List.of(irqStacks));
        MethodTotals.Snapshot perMethod = methods.snapshot(unmerged);
        int irqMaxDepth = 0;
        for (KernelStack irq : irqStacks) {
            checks += irq.checks;
            irqMaxDepth = Math.max(irqMaxDepth, irq.maxDepth());
        }
        long liveNow = live.get();
        StackStats.Stacks stacks = new StackStats.Stacks(created.get(), liveNow, peakLive.get(), reaped.sum(),
                reapedByReaper.sum());
        StackStats.Memory memory = new StackStats.Memory(mapped.get(), peakMapped.get(), releasedBytes.sum(),
                reserveBytes(), reserveTaken.sum(), reserveRefills.sum());
        StackStats.Events events = new StackStats.Events(checks, grows.sum(), faults.sum(), panics.sum(),
                expandCalls.sum());
        StackStats.Depth depth = new StackStats.Depth(maxDepth, histogram, irqMaxDepth, perMethod.deepest(),
                perMethod.chains());
        DesignStats design = designs != null ? designs.stats(liveNow) : DesignStats.none(liveNow, peakLive.get());
        return new StackStats(config, stacks, memory, events, depth, perMethod.methods(), design);
    }
}

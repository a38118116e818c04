package io.dynstack.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mechanics of the 2026 thread's designs ({@link StackDesign}) for one run: they run when a
 * thread parks (its switch out), wakes (its switch in), enters the kernel from user space or goes
 * back, when a stack grows and when a shrinker passes; never on a frame's entry or exit. Absent
 * from a run that uses none of them.
 *
 * <p>Memory under the bound ({@link StackDesign#freePages}) is drawn and never given back: the
 * model's machine is under pressure, so whatever a stack releases is taken at once by other users
 * (page cache, anonymous memory). Where a thread can wait, a missing page is a stall, counted,
 * after which reclaim is taken to have found the page; where it cannot, it is a panic.
 */
final class Designs {

    /** A thread's state in these designs; only threads that sleep or leave the kernel get one. */
    private static final class Sleeper {
        Wait wait = Wait.KERNEL;
        boolean holdsNone;
        /** Switched out and not yet switched in: the shrinker may reclaim from it. Guarded by this. */
        boolean switchedOut;
    }

    private final Accounting accounting;
    private final StackConfig config;
    private final StackDesign design;
    private final AtomicLong free;
    private final ConcurrentHashMap<KernelStack, Sleeper> sleepers = new ConcurrentHashMap<>();
    private final AtomicIntegerArray spares;
    private final Object stashLock = new Object();
    /** Pages in the stash; guarded by stashLock. */
    private int stash;
    private volatile boolean stashShort;

    private final AtomicLong holdingNone = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong peakInUse = new AtomicLong();
    private final LongAdder wakeAllocations = new LongAdder();
    private final LongAdder wakePages = new LongAdder();
    private final LongAdder entryAllocations = new LongAdder();
    private final LongAdder entryPages = new LongAdder();
    private final LongAdder switchInAllocations = new LongAdder();
    private final LongAdder switchInPages = new LongAdder();
    private final LongAdder stalls = new LongAdder();
    private final LongAdder reclaimedBytes = new LongAdder();
    private final LongAdder shootdowns = new LongAdder();
    private final LongAdder sparePagesTaken = new LongAdder();
    private final LongAdder stashPagesTaken = new LongAdder();
    private final LongAdder stashLocks = new LongAdder();
    private final LongAdder refills = new LongAdder();
    private final LongAdder refillFailures = new LongAdder();

    Designs(Accounting accounting) {
        this.accounting = accounting;
        this.config = accounting.config;
        this.design = config.design();
        this.free = new AtomicLong(design.freePages());
        this.spares = new AtomicIntegerArray(design.spares() == StackDesign.OFF ? 0 : config.cpus());
        for (int cpu = 0; cpu < spares.length(); cpu++) {
            spares.set(cpu, design.spares());
        }
        this.stash = design.stash();
    }

    /** Takes {@code pages} free pages; always true without a bound. */
    boolean allocate(int pages) {
        if (!design.bounded() || pages == 0) {
            return true;
        }
        while (true) {
            long left = free.get();
            if (left < pages) {
                return false;
            }
            if (free.compareAndSet(left, left - pages)) {
                return true;
            }
        }
    }

    void stall() {
        stalls.increment();
    }

    void refilled(boolean found) {
        (found ? refills : refillFailures).increment();
    }

    boolean feedsFromSpares() {
        return spares.length() > 0;
    }

    /**
     * Growth in the fault path, which cannot allocate: the CPU's spares, else the global stash
     * under its lock; false when neither has {@code pages}.
     */
    boolean takeSpares(int cpu, int pages) {
        while (true) {
            int left = spares.get(cpu);
            if (left < pages) {
                break;
            }
            if (spares.compareAndSet(cpu, left, left - pages)) {
                sparePagesTaken.add(pages);
                return true;
            }
        }
        if (design.stash() == 0) {
            return false;
        }
        synchronized (stashLock) {
            stashLocks.increment();
            if (stash < pages) {
                return false;
            }
            stash -= pages;
            stashShort = true;
        }
        stashPagesTaken.add(pages);
        return true;
    }

    void created() {
        peakInUse.accumulateAndGet(accounting.live() - holdingNone.get(), Math::max);
    }

    void freed(KernelStack stack) {
        Sleeper s = sleepers.remove(stack);
        if (s != null && s.holdsNone) {
            holdingNone.decrementAndGet();
            kept.addAndGet(-StackDesign.KEPT_BYTES);
        }
    }

    void waitIn(KernelStack stack, Wait wait) {
        if (design.idle() != StackDesign.Idle.KEEP) {
            sleeper(stack).wait = wait;
        }
    }

    /** The thread is switched out at an idle point. */
    void park(KernelStack stack) {
        refillSpares(stack.cpu);
        Sleeper s = design.idle() != StackDesign.Idle.KEEP ? sleepers.get(stack) : null;
        Wait wait = s == null ? Wait.KERNEL : s.wait;
        boolean release = switch (design.idle()) {
            case KEEP -> false;
            case RELEASE -> wait == Wait.FUTEX || wait == Wait.EPOLL;
            case MULTIPLEX -> wait == Wait.FUTEX;
        };
        if (release) {
            int bytes = stack.mappedBytes();
            giveBack(stack, s);
            accounting.released(bytes);
            StackEvents.release(stack, bytes);
        }
        switch (design.reclaim()) {
            case OFF -> { }
            case SWITCH -> {
                if (reclaimUntouched(stack)) {
                    shootdowns.increment();
                }
            }
            case SHRINKER -> {
                Sleeper out = sleeper(stack);
                synchronized (out) {
                    out.switchedOut = true;
                }
            }
        }
    }

    /** The thread is switched in again after its sleep. */
    void wake(KernelStack stack) {
        Sleeper s = sleepers.get(stack);
        if (s != null) {
            s.wait = Wait.KERNEL;
            if (s.holdsNone) {
                take(stack, s, wakeAllocations, wakePages);
            }
        }
        if (design.reclaim() != StackDesign.Reclaim.OFF) {
            if (s != null) {
                synchronized (s) {
                    s.switchedOut = false;
                }
            }
            if (stack.mappedBottom > 0) {
                // Switching in needs every page mapped again, inside schedule(): no fault may happen later.
                int bytes = stack.mappedBottom;
                switchInAllocations.increment();
                switchInPages.add(bytes / config.pageSize());
                if (!allocate(bytes / config.pageSize())) {
                    stall();
                }
                accounting.map(bytes);
                stack.mappedBottom(0);
            }
        }
    }

    void exitToUser(KernelStack stack) {
        if (design.idle() == StackDesign.Idle.MULTIPLEX) {
            Sleeper s = sleeper(stack);
            if (!s.holdsNone) {
                accounting.map(-stack.mappedBytes());
                giveBack(stack, s);
            }
        }
    }

    void enterFromUser(KernelStack stack) {
        Sleeper s = design.idle() == StackDesign.Idle.MULTIPLEX ? sleepers.get(stack) : null;
        if (s != null && s.holdsNone) {
            take(stack, s, entryAllocations, entryPages);
        }
    }

    /** One shrinker pass: reclaims untouched pages of every switched-out thread, with one shootdown. */
    int shrink() {
        if (design.reclaim() != StackDesign.Reclaim.SHRINKER) {
            return 0;
        }
        int reclaimed = 0;
        for (var e : sleepers.entrySet()) {
            Sleeper s = e.getValue();
            synchronized (s) {
                if (s.switchedOut && reclaimUntouched(e.getKey())) {
                    reclaimed++;
                }
            }
        }
        if (reclaimed > 0) {
            shootdowns.increment();
        }
        return reclaimed;
    }

    private Sleeper sleeper(KernelStack stack) {
        return sleepers.computeIfAbsent(stack, k -> new Sleeper());
    }

    private void giveBack(KernelStack stack, Sleeper s) {
        stack.mappedBottom(stack.threadSize());
        s.holdsNone = true;
        holdingNone.incrementAndGet();
        kept.addAndGet(StackDesign.KEPT_BYTES);
    }

    /** Takes a stack again: {@code initial} bytes, or down to the page holding sp if that is deeper. */
    private void take(KernelStack stack, Sleeper s, LongAdder events, LongAdder pages) {
        int page = config.pageSize();
        int bottom = Math.min(stack.threadSize() - config.initial(), stack.sp - Math.floorMod(stack.sp, page));
        int bytes = stack.mappedBottom - bottom;
        events.increment();
        pages.add(bytes / page);
        if (!allocate(bytes / page)) {
            stall();
        }
        accounting.map(bytes);
        stack.mappedBottom(bottom);
        s.holdsNone = false;
        kept.addAndGet(-StackDesign.KEPT_BYTES);
        peakInUse.accumulateAndGet(accounting.live() - holdingNone.decrementAndGet(), Math::max);
    }

    /** Hansen's rule: pages below the deepest sp ever are untouched and go; touched ones stay for good. */
    private boolean reclaimUntouched(KernelStack stack) {
        int keep = stack.lowestSp - Math.floorMod(stack.lowestSp, config.pageSize());
        if (keep <= stack.mappedBottom) {
            return false;
        }
        int bytes = keep - stack.mappedBottom;
        accounting.map(-bytes);
        reclaimedBytes.add(bytes);
        stack.mappedBottom(keep);
        return true;
    }

    /** The RFC's refill when a task leaves the CPU, and the stash's irq_work behind it. */
    private void refillSpares(int cpu) {
        if (!feedsFromSpares()) {
            return;
        }
        int missing = design.spares() - spares.get(cpu);
        if (missing > 0) {
            boolean found = allocate(missing);
            if (found) {
                spares.addAndGet(cpu, missing);
            }
            refilled(found);
        }
        if (stashShort) {
            synchronized (stashLock) {
                stashLocks.increment();
                boolean found = allocate(design.stash() - stash);
                if (found) {
                    stash = design.stash();
                    stashShort = false;
                }
                refilled(found);
            }
        }
    }

    DesignStats stats(long live) {
        long spareBytes = 0;
        for (int cpu = 0; cpu < spares.length(); cpu++) {
            spareBytes += spares.get(cpu);
        }
        synchronized (stashLock) {
            spareBytes += stash;
        }
        spareBytes *= config.pageSize();
        long capacity = feedsFromSpares()
                ? ((long) spares.length() * design.spares() + design.stash()) * config.pageSize() : 0;
        long inUseNow = live - holdingNone.get();
        DesignStats.InUse inUse = new DesignStats.InUse(inUseNow, Math.max(peakInUse.get(), inUseNow), kept.get());
        DesignStats.Allocations allocations = new DesignStats.Allocations(
                new DesignStats.Taken(wakeAllocations.sum(), wakePages.sum()),
                new DesignStats.Taken(entryAllocations.sum(), entryPages.sum()),
                new DesignStats.Taken(switchInAllocations.sum(), switchInPages.sum()), stalls.sum());
        DesignStats.Reclaim reclaim = new DesignStats.Reclaim(reclaimedBytes.sum(), shootdowns.sum());
        DesignStats.Spares spareFigures = new DesignStats.Spares(spareBytes, capacity, sparePagesTaken.sum(),
                stashPagesTaken.sum(), stashLocks.sum());
        DesignStats.Refills refillFigures = new DesignStats.Refills(refills.sum(), refillFailures.sum());
        return new DesignStats(inUse, allocations, reclaim, spareFigures, refillFigures,
                design.bounded() ? free.get() : -1);
    }
}

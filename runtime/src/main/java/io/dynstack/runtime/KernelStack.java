package io.dynstack.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * One thread's simulated kernel stack, and the hot path that woven kernel methods call.
 *
 * <pre>
 *   threadSize  +------------------+  top: sp starts here; the stack grows down, as on x86
 *               |  frame (caller)  |
 *               |  frame (callee)  |
 *           sp  +------------------+  sp = top - bytes in use
 *               |  mapped, unused  |
 * mappedBottom  +------------------+  mapped = threadSize - mappedBottom, a whole number of pages
 *               |  unmapped        |  an unchecked frame reaching here faults
 *            0  +------------------+  below: the guard page of a vmap stack, always a panic
 * </pre>
 *
 * <p>Every woven method runs {@code ks = KernelStack.current(); saved = ks.enter(frame)} (or
 * {@link #enterChecked}) at entry and {@code ks.restore(saved)} on every exit, normal or
 * exceptional; so an exit puts sp back to the exact value it had, whatever happened in between.
 * Only the owning thread writes these fields; readers in other threads merge them when they
 * report, never on the hot path.
 *
 * <p>Per-method figures stay here too: {@code methodCounts} holds, for each method id, the entries
 * and the deepest depth at entry, written only by the owning thread and merged into the totals
 * when the stack parks or is freed. A new deepest point (rare: at most once per 16 bytes of depth)
 * records the chain that reached it, for the flame graph of stack bytes.
 */
public final class KernelStack {

    final Accounting accounting;
    /** The thread this stack belongs to; null for a CPU's IRQ stack. */
    final Thread owner;
    private final int threadSize;
    private final int margin;

    int sp;
    int mappedBottom;
    int lowestSp;
    /**
     * An entry whose sp goes below this has something to do beyond moving sp: a fault below the
     * mapped bottom or a new deepest point below the lowest sp. One compare against
     * max(mappedBottom, lowestSp) stands for both, so the common entry pays for one; kept by
     * {@link #limits()} whenever either moves.
     */
    private int enterLimit;
    /** The same for a checked entry: max(mappedBottom + margin, lowestSp). */
    private int checkLimit;
    long checks;
    /** The simulated CPU whose reserve this stack's no-sleep growth draws on. */
    int cpu;
    /** How many no-sleep frames are active; growth inside them takes reserve pages. */
    private int noSleep;
    /** Per method id: [2 id] entries, [2 id + 1] deepest depth at entry; grown when an id does not fit. */
    long[] methodCounts = NO_COUNTS;
    /** The chain, innermost first, that reached this stack's deepest point; null before any frame. */
    List<Oops.ChainFrame> deepestChain;
    /** The deepest chain as the totals have it already, so that merging twice does not count it twice. */
    List<Oops.ChainFrame> mergedChain;

    static final long[] NO_COUNTS = new long[0];
    /**
     * Frames of the longest chain a stack records. A 16 KiB stack holds at most 1024 frames of the
     * smallest size (16 bytes), so every chain of the default THREAD_SIZE is recorded whole; on a
     * larger stack, recording stops there, since each new deepest point walks the whole chain.
     */
    static final int CHAIN_FRAMES = 1024;

    KernelStack(Accounting accounting, Thread owner, int cpu, int initial) {
        StackConfig config = accounting.config;
        this.accounting = accounting;
        this.owner = owner;
        this.cpu = cpu;
        this.threadSize = config.threadSize();
        this.margin = config.margin();
        this.sp = threadSize;
        this.lowestSp = threadSize;
        this.mappedBottom = threadSize - initial;
        limits();
    }

    /** Sets the mapped bottom (a grow, a release, a design taking or giving back pages). */
    void mappedBottom(int bottom) {
        mappedBottom = bottom;
        limits();
    }

    private void limits() {
        enterLimit = Math.max(mappedBottom, lowestSp);
        checkLimit = Math.max(mappedBottom + margin, lowestSp);
    }

    /** The calling thread's stack, created at its first kernel entry. */
    public static KernelStack current() {
        Thread thread = Thread.currentThread();
        KernelStack stack = StackTable.get(thread);
        return stack != null ? stack : Kernel.attach(thread);
    }

    /**
     * Entry of a method below the threshold, without per-method counting: code that is not a woven
     * method, or weaving with {@code methods=false}. Moves sp by {@code frame}; returns the sp to restore.
     */
    public int enter(int frame) {
        int saved = sp;
        int next = saved - frame;
        if (next < enterLimit) {
            below(next, frame, WovenMethods.UNNAMED);
        }
        sp = next;
        return saved;
    }

    /** Entry of woven method {@code method} below the threshold: moves sp by {@code frame}; returns the sp to restore. */
    public int enter(int frame, int method) {
        int saved = sp;
        int next = saved - frame;
        if (next < enterLimit) {
            below(next, frame, method);
        }
        sp = next;
        count(method, next);
        return saved;
    }

    /** Entry of a method at or above the threshold, without per-method counting, as {@link #enter(int)}. */
    public int enterChecked(int frame) {
        checks++;
        int saved = sp;
        int next = saved - frame;
        if (next < checkLimit) {
            belowChecked(next, frame, WovenMethods.UNNAMED);
        }
        sp = next;
        return saved;
    }

    /** Entry of woven method {@code method} at or above the threshold: the check grows the stack before the frame needs it. */
    public int enterChecked(int frame, int method) {
        checks++;
        int saved = sp;
        int next = saved - frame;
        if (next < checkLimit) {
            belowChecked(next, frame, method);
        }
        sp = next;
        count(method, next);
        return saved;
    }

    /** An unchecked entry below {@link #enterLimit}: a fault, then a new deepest point, in that order. */
    private void below(int next, int frame, int method) {
        if (next < mappedBottom) {
            fault(next, frame, method);
        }
        if (next < lowestSp) {
            deeper(next);
        }
    }

    /** A checked entry below {@link #checkLimit}: the check, then a new deepest point. */
    private void belowChecked(int next, int frame, int method) {
        if (next - margin < mappedBottom) {
            check(next, frame, method);
        }
        if (next < lowestSp) {
            deeper(next);
        }
    }

    /** The per-method entry count and deepest depth, in this stack's own array; and a new deepest point. */
    private void count(int method, int next) {
        long[] counts = methodCounts;
        int slot = method << 1;
        // slot + 1 in range covers both slots, so the JIT needs no second bounds check.
        if (slot + 1 >= counts.length) {
            counts = growCounts(slot);
        }
        counts[slot]++;
        long depth = threadSize - next;
        if (depth > counts[slot + 1]) {
            counts[slot + 1] = depth;
        }
    }

    private long[] growCounts(int slot) {
        long[] grown = Arrays.copyOf(methodCounts, Math.max(slot + 2, methodCounts.length * 2));
        methodCounts = grown;
        return grown;
    }

    /** A new deepest point: the chain that reached it is on the Java stack now, and only now. */
    private void deeper(int next) {
        lowestSp = next;
        limits();
        if (deepestChain == null || deepestChain.size() < CHAIN_FRAMES) {
            deepestChain = Oops.chain(this, next, CHAIN_FRAMES);
        }
    }

    /** Puts sp back to a value returned by {@link #enter}, or to a frame's own sp in its handler. */
    public void restore(int savedSp) {
        sp = savedSp;
    }

    /** expand_stack(): maps pages ahead so that {@code bytes} more fit below the current sp. */
    public void expandStack(int bytes) {
        expandStack(bytes, WovenMethods.UNNAMED);
    }

    /** expand_stack() woven into method {@code method}: a grow it makes counts as that method's. */
    public void expandStack(int bytes, int method) {
        accounting.expandCalls.increment();
        int target = Math.max(sp - bytes, 0);
        int before = mappedBottom;
        if (target < mappedBottom) {
            map(target, sp, 0, method);
            accounting.grows.increment();
            accounting.methods.grew(method);
            StackEvents.grow(this, StackEvents.EXPAND_STACK, sp, before - mappedBottom, 0);
        }
        StackEvents.expand(this, bytes, before - mappedBottom);
    }

    /** Entry of a no-sleep method ({@code @NoSleep}): from here growth must come from the CPU's reserve. */
    public void noSleepEnter() {
        noSleep++;
    }

    /** Exit of a no-sleep method: leaving the last one refills the CPU's reserve, where sleeping is allowed. */
    public void noSleepExit() {
        if (--noSleep == 0 && accounting.config.reserves()) {
            accounting.refill(cpu);
        }
    }

    /**
     * A thread parks at an idle point ({@code @IdlePoint}), switched out: with release at park, pages
     * below sp go back; the 2026 thread's designs do their part of a switch out.
     */
    public void park() {
        accounting.merge(this);
        if (accounting.config.releaseAtPark()) {
            int keep = sp - Math.floorMod(sp, accounting.config.pageSize());
            if (keep > mappedBottom) {
                int released = keep - mappedBottom;
                accounting.released(released);
                mappedBottom(keep);
                StackEvents.release(this, released);
            }
        }
        if (accounting.designs != null) {
            accounting.designs.park(this);
        }
    }

    /** The thread wakes at the idle point it parked in, switched in again (woven at its exits). */
    public void wake() {
        if (accounting.designs != null) {
            accounting.designs.wake(this);
        }
    }

    private void check(int next, int frame, int method) {
        if (next < 0) {
            throw panic(Oops.overflow(this, next, frame), method);
        }
        int before = mappedBottom;
        map(Math.max(next - margin, 0), next, frame, method);
        accounting.grows.increment();
        accounting.methods.grew(method);
        StackEvents.grow(this, StackEvents.CHECK, next, before - mappedBottom, frame);
    }

    private void fault(int next, int frame, int method) {
        if (next < 0) {
            throw panic(Oops.overflow(this, next, frame), method);
        }
        if (accounting.config.fault() == FaultPolicy.PANIC) {
            throw panic(Oops.doubleFault(this, next, frame), method);
        }
        int before = mappedBottom;
        map(next, next, frame, method);
        accounting.faults.increment();
        accounting.grows.increment();
        accounting.methods.grew(method);
        accounting.methods.faulted(method);
        StackEvents.fault(this, next, before - mappedBottom, frame);
        StackEvents.grow(this, StackEvents.FAULT, next, before - mappedBottom, frame);
    }

    private KernelPanic panic(Oops oops, int method) {
        accounting.panics.increment();
        accounting.methods.panicked(method);
        StackEvents.panic(this, oops);
        KernelPanic panic = new KernelPanic(oops);
        Kernel.panicked(panic);
        return panic;
    }

    /**
     * Maps whole pages down to the page holding {@code address}. With the RFC's spares every growth
     * takes them (the fault path cannot allocate); in no-sleep code the pages come from the CPU's
     * reserve; under a memory bound they come from the free pages. Where the thread cannot wait, none
     * left is a panic; where it can, a stall.
     */
    private void map(int address, int next, int frame, int method) {
        int page = accounting.config.pageSize();
        int bottom = address - Math.floorMod(address, page);
        int bytes = mappedBottom - bottom;
        int pages = bytes / page;
        Designs designs = accounting.designs;
        if (designs != null && designs.feedsFromSpares()) {
            if (!designs.takeSpares(cpu, pages)) {
                throw panic(Oops.sparesEmpty(this, next, frame, pages, accounting.config.design().stash() > 0), method);
            }
        } else if (noSleep > 0 && accounting.config.reserves()) {
            if (!accounting.takeReserve(cpu, pages)) {
                throw panic(Oops.reserveEmpty(this, next, frame, pages), method);
            }
        } else if (designs != null && !designs.allocate(pages)) {
            if (noSleep > 0) {
                throw panic(Oops.noFreeMemory(this, next, frame, pages), method);
            }
            designs.stall();
        }
        Kernel.beforeGrow(accounting, bytes);
        accounting.map(bytes);
        mappedBottom(bottom);
    }

    public int sp() {
        return sp;
    }

    public int mappedBottom() {
        return mappedBottom;
    }

    public int mappedBytes() {
        return threadSize - mappedBottom;
    }

    /** Bytes in use now: THREAD_SIZE - sp. */
    public int depth() {
        return threadSize - sp;
    }

    /** The deepest this stack has been, in bytes. */
    public int maxDepth() {
        return threadSize - lowestSp;
    }

    public int threadSize() {
        return threadSize;
    }

    public long checksExecuted() {
        return checks;
    }

    public Thread owner() {
        return owner;
    }

    public int cpu() {
        return cpu;
    }
}

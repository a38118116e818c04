package io.dynstack.runtime;

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
    long checks;
    /** The simulated CPU whose reserve this stack's no-sleep growth draws on. */
    int cpu;
    /** How many no-sleep frames are active; growth inside them takes reserve pages. */
    private int noSleep;

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
    }

    /** The calling thread's stack, created at its first kernel entry. */
    public static KernelStack current() {
        Thread thread = Thread.currentThread();
        KernelStack stack = StackTable.get(thread.threadId());
        return stack != null ? stack : Kernel.attach(thread);
    }

    /** Entry of a method below the threshold: moves sp by {@code frame}; returns the sp to restore. */
    public int enter(int frame) {
        int saved = sp;
        int next = saved - frame;
        if (next < mappedBottom) {
            fault(next, frame);
        }
        sp = next;
        if (next < lowestSp) {
            lowestSp = next;
        }
        return saved;
    }

    /** Entry of a method at or above the threshold: the check grows the stack before the frame needs it. */
    public int enterChecked(int frame) {
        checks++;
        int saved = sp;
        int next = saved - frame;
        if (next - margin < mappedBottom) {
            check(next, frame);
        }
        sp = next;
        if (next < lowestSp) {
            lowestSp = next;
        }
        return saved;
    }

    /** Puts sp back to a value returned by {@link #enter}, or to a frame's own sp in its handler. */
    public void restore(int savedSp) {
        sp = savedSp;
    }

    /** expand_stack(): maps pages ahead so that {@code bytes} more fit below the current sp. */
    public void expandStack(int bytes) {
        accounting.expandCalls.increment();
        int target = Math.max(sp - bytes, 0);
        int before = mappedBottom;
        if (target < mappedBottom) {
            map(target, sp, 0);
            accounting.grows.increment();
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

    /** A thread parks at an idle point ({@code @IdlePoint}): with release at park, pages below sp go back. */
    public void park() {
        if (!accounting.config.releaseAtPark()) {
            return;
        }
        int keep = sp - Math.floorMod(sp, accounting.config.pageSize());
        if (keep > mappedBottom) {
            int released = keep - mappedBottom;
            accounting.released(released);
            mappedBottom = keep;
            StackEvents.release(this, released);
        }
    }

    private void check(int next, int frame) {
        if (next < 0) {
            throw panic(Oops.overflow(this, next, frame));
        }
        int before = mappedBottom;
        map(Math.max(next - margin, 0), next, frame);
        accounting.grows.increment();
        StackEvents.grow(this, StackEvents.CHECK, next, before - mappedBottom, frame);
    }

    private void fault(int next, int frame) {
        if (next < 0) {
            throw panic(Oops.overflow(this, next, frame));
        }
        if (accounting.config.fault() == FaultPolicy.PANIC) {
            throw panic(Oops.doubleFault(this, next, frame));
        }
        int before = mappedBottom;
        map(next, next, frame);
        accounting.faults.increment();
        accounting.grows.increment();
        StackEvents.fault(this, next, before - mappedBottom, frame);
        StackEvents.grow(this, StackEvents.FAULT, next, before - mappedBottom, frame);
    }

    private KernelPanic panic(Oops oops) {
        accounting.panics.increment();
        StackEvents.panic(this, oops);
        KernelPanic panic = new KernelPanic(oops);
        Kernel.panicked(panic);
        return panic;
    }

    /**
     * Maps whole pages down to the page holding {@code address}. In no-sleep code the pages come
     * from the CPU's reserve, and an empty reserve is a panic: there is no way to wait for memory.
     */
    private void map(int address, int next, int frame) {
        int page = accounting.config.pageSize();
        int bottom = address - Math.floorMod(address, page);
        int bytes = mappedBottom - bottom;
        if (noSleep > 0 && accounting.config.reserves() && !accounting.takeReserve(cpu, bytes / page)) {
            throw panic(Oops.reserveEmpty(this, next, frame, bytes / page));
        }
        Kernel.beforeGrow(accounting, bytes);
        accounting.map(bytes);
        mappedBottom = bottom;
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

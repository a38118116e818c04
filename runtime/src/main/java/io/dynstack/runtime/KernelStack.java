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
    final Thread owner;
    private final int threadSize;
    private final int margin;

    int sp;
    int mappedBottom;
    int lowestSp;
    long checks;

    KernelStack(Accounting accounting, Thread owner) {
        StackConfig config = accounting.config;
        this.accounting = accounting;
        this.owner = owner;
        this.threadSize = config.threadSize();
        this.margin = config.margin();
        this.sp = threadSize;
        this.lowestSp = threadSize;
        this.mappedBottom = threadSize - config.initial();
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
        if (target < mappedBottom) {
            map(target);
            accounting.grows.increment();
        }
    }

    private void check(int next, int frame) {
        if (next < 0) {
            throw panic(Oops.overflow(this, next, frame));
        }
        map(Math.max(next - margin, 0));
        accounting.grows.increment();
    }

    private void fault(int next, int frame) {
        if (next < 0) {
            throw panic(Oops.overflow(this, next, frame));
        }
        if (accounting.config.fault() == FaultPolicy.PANIC) {
            throw panic(Oops.doubleFault(this, next, frame));
        }
        accounting.faults.increment();
        map(next);
        accounting.grows.increment();
    }

    private KernelPanic panic(Oops oops) {
        accounting.panics.increment();
        return new KernelPanic(oops);
    }

    /** Maps whole pages down to the page holding {@code address}. */
    private void map(int address) {
        int page = accounting.config.pageSize();
        int bottom = address - Math.floorMod(address, page);
        accounting.map(mappedBottom - bottom);
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
}

package io.dynstack.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The simulated kernel as a whole: the stack configuration, stack lifetimes and the totals.
 *
 * <p>A stack is created at a thread's first kernel entry and freed by {@link #release()}, by
 * {@link #run(Runnable)} for threads the simulation starts itself, or, for any other thread once
 * it has ended, by a sweep of the stack table. Java has no hook for the end of every platform and
 * virtual thread that works on every JDK, so the sweep runs where a figure depends on it: before
 * a stack is created or grown that would set a new peak (of stacks or of mapped bytes), so that a
 * peak counts only stacks whose threads were alive together, and before every read of the totals. The
 * creation sweep is off the hot path and budgeted ({@link #SWEEP_BUDGET}); a daemon (the reaper)
 * also sweeps once a second, only to let go of ended threads in a program that creates no more
 * stacks, and is counted apart because when it runs depends on timing.
 */
public final class Kernel {

    /**
     * Table slots a sweep before a peak may look at per stack created, so that creating n stacks
     * that all stay alive costs O(n) and not O(n^2). While the table holds fewer than about this
     * many stacks every new peak is swept first; above that, when the budget saved up covers the
     * table.
     */
    static final long SWEEP_BUDGET = 256;

    /** Exit status of {@code on_panic=halt}: EX_SOFTWARE of sysexits.h, an internal error. */
    public static final int PANIC_EXIT_STATUS = 70;

    private static volatile Accounting accounting = new Accounting(StackConfig.DEFAULT);
    private static volatile boolean haltOnPanic;
    private static volatile Path panicReport;
    private static volatile Duration reaperPeriod;
    private static final AtomicBoolean BACKGROUND_STARTED = new AtomicBoolean();
    private static long sweepCredit;

    private Kernel() {
    }

    /**
     * What a panic does: by default the {@link KernelPanic} is thrown, so that tests and tools can
     * catch it and read the oops; with {@code halt} the oops is printed, the report written to
     * {@code report} (if not null) and the JVM halted with {@link #PANIC_EXIT_STATUS}, so that no
     * host code that catches Throwable can swallow it.
     */
    public static void onPanic(boolean halt, Path report) {
        panicReport = report;
        haltOnPanic = halt;
    }

    /**
     * The agent's background work, started with the first stack rather than in premain, so that a
     * program that never enters kernel code gets no thread and no JFR listener: the reaper, which
     * sweeps every {@code reaperPeriod}, and JFR's periodic totals event.
     */
    public static void startWithFirstStack(Duration reaperPeriod) {
        Kernel.reaperPeriod = reaperPeriod;
    }

    /** Starts a new simulation run: forgets every stack and zeroes every counter. */
    public static synchronized void configure(StackConfig config) {
        StackTable.clear();
        sweepCredit = 0;
        accounting = new Accounting(config);
    }

    public static StackConfig config() {
        return accounting.config;
    }

    static KernelStack attach(Thread thread) {
        KernelStack stack = create(thread);
        // Outside the lock: JFR calls back into stats(), which takes it, from its own threads.
        Duration period = reaperPeriod;
        if (period != null && BACKGROUND_STARTED.compareAndSet(false, true)) {
            startReaper(period);
            StackEvents.register();
        }
        return stack;
    }

    private static synchronized KernelStack create(Thread thread) {
        Accounting a = accounting;
        sweepCredit += SWEEP_BUDGET;
        if (a.wouldSetPeak(a.config.initial())) {
            sweepWithinBudget();
        }
        KernelStack stack = new KernelStack(a, thread, (int) (thread.threadId() % a.config.cpus()), a.config.initial());
        StackTable.put(thread.threadId(), stack);
        a.created(stack);
        return stack;
    }

    /** Runs the calling thread on simulated CPU {@code cpu}: whose reserve and IRQ stack it uses. */
    public static void bindCpu(int cpu) {
        if (cpu < 0 || cpu >= config().cpus()) {
            throw new IllegalArgumentException("cpu must be between 0 and " + (config().cpus() - 1) + ", not " + cpu);
        }
        KernelStack.current().cpu = cpu;
    }

    /**
     * An interrupt arrives: {@code handler} runs on the CPU's IRQ stack when interrupts have their
     * own stacks, otherwise on top of the interrupted task's stack. One interrupt at a time per CPU.
     */
    public static void interrupt(Runnable handler) {
        KernelStack task = KernelStack.current();
        if (task.accounting.irqStacks.length == 0) {
            handler.run();
            return;
        }
        KernelStack irq = task.accounting.irqStacks[task.cpu];
        long tid = Thread.currentThread().threadId();
        synchronized (irq) {
            StackTable.put(tid, irq);
            try {
                handler.run();
            } finally {
                StackTable.put(tid, task);
            }
        }
    }

    /** Frees the calling thread's stack, as the kernel does when a thread exits. */
    public static void release() {
        Thread thread = Thread.currentThread();
        KernelStack stack = StackTable.get(thread.threadId());
        if (stack != null && stack.owner == thread) {
            free(thread.threadId(), stack);
        }
    }

    private static void free(long tid, KernelStack stack) {
        if (StackTable.remove(tid, stack)) {
            stack.accounting.freed(stack);
        }
    }

    /** Runs {@code task} as a kernel thread's body: its stack is freed when it ends, however it ends. */
    public static void run(Runnable task) {
        try {
            task.run();
        } finally {
            release();
        }
    }

    /** Before a stack grows by {@code bytes}: if that would set a new peak, the stacks of ended threads go first. */
    static void beforeGrow(Accounting a, int bytes) {
        if (a.wouldSetMappedPeak(bytes)) {
            synchronized (Kernel.class) {
                sweepWithinBudget();
            }
        }
    }

    private static void sweepWithinBudget() {
        int size = StackTable.size();
        if (sweepCredit >= size) {
            sweepCredit -= size;
            sweep(false);
        }
    }

    /** Frees the stacks of threads that have ended; returns how many. */
    public static int reapTerminated() {
        return sweep(false);
    }

    private static synchronized int sweep(boolean byReaper) {
        List<KernelStack> ended = StackTable.removeEnded();
        for (KernelStack stack : ended) {
            stack.accounting.reaped(stack, byReaper);
        }
        return ended.size();
    }

    private static void startReaper(Duration period) {
        Thread.ofPlatform().daemon().name("dynstack-reaper").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
                sweep(true);
            }
        });
    }

    /**
     * A panic on its way out of {@code stack}'s thread. With {@code on_panic=halt} it never
     * returns: the first panicking thread prints the oops, writes the report and halts the JVM.
     */
    static void panicked(KernelPanic panic) {
        if (!haltOnPanic) {
            return;
        }
        synchronized (Kernel.class) {
            System.err.println(panic.getMessage());
            Report.atExit(panicReport);
            System.err.flush();
            Runtime.getRuntime().halt(PANIC_EXIT_STATUS);
        }
    }

    /**
     * Kernel code is about to sleep in {@code wait}: the designs that give stacks back while threads
     * sleep tell futex and epoll waits from other sleeps by this. Costs nothing in the others.
     */
    public static void waitIn(Wait wait) {
        Designs designs = accounting.designs;
        if (designs != null) {
            designs.waitIn(KernelStack.current(), wait);
        }
    }

    /** User space enters the kernel (a system call): with multiplexing, the thread takes a stack here. */
    public static void enterFromUser() {
        Designs designs = accounting.designs;
        if (designs != null) {
            designs.enterFromUser(KernelStack.current());
        }
    }

    /** The system call returns to user space: with multiplexing, the thread gives its stack back. */
    public static void exitToUser() {
        Designs designs = accounting.designs;
        if (designs != null) {
            designs.exitToUser(KernelStack.current());
        }
    }

    /**
     * One pass of the shrinker of Hansen's design ({@code reclaim=shrinker}): reclaims the
     * never-touched pages of every switched-out thread, with one TLB shootdown for the pass.
     * Returns how many stacks it reclaimed from; 0 under any other design.
     */
    public static int shrink() {
        Designs designs = accounting.designs;
        return designs == null ? 0 : designs.shrink();
    }

    /** expand_stack() called directly: pre-maps {@code bytes} below the calling thread's sp. */
    public static void expandStack(int bytes) {
        KernelStack.current().expandStack(bytes);
    }

    /** The totals now, after freeing the stacks of ended threads. Exact once the threads being counted have ended or stopped. */
    public static StackStats stats() {
        sweep(false);
        List<KernelStack> live = StackTable.all();
        return accounting.stats(live);
    }
}

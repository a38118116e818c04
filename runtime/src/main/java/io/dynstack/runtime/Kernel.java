package io.dynstack.runtime;

import java.util.List;

/**
 * The simulated kernel as a whole: the stack configuration, stack lifetimes and the totals.
 *
 * <p>A stack is created at a thread's first kernel entry and freed by {@link #release()}, by
 * {@link #run(Runnable)} for threads the simulation starts itself, or by {@link #reapTerminated()}
 * for any other thread once it has ended (the agent runs that periodically and before its report).
 */
public final class Kernel {

    private static volatile Accounting accounting = new Accounting(StackConfig.DEFAULT);

    private Kernel() {
    }

    /** Starts a new simulation run: forgets every stack and zeroes every counter. */
    public static synchronized void configure(StackConfig config) {
        StackTable.clear();
        accounting = new Accounting(config);
    }

    public static StackConfig config() {
        return accounting.config;
    }

    static synchronized KernelStack attach(Thread thread) {
        Accounting a = accounting;
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

    /** Frees the stacks of threads that have ended; returns how many. */
    public static int reapTerminated() {
        int reaped = 0;
        for (KernelStack stack : StackTable.all()) {
            if (stack.owner != null && !stack.owner.isAlive()) {
                free(stack.owner.threadId(), stack);
                reaped++;
            }
        }
        return reaped;
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

    /** The totals now. Exact once the threads being counted have ended or stopped. */
    public static StackStats stats() {
        List<KernelStack> live = StackTable.all();
        return accounting.stats(live);
    }
}

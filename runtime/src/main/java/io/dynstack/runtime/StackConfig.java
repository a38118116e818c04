package io.dynstack.runtime;

/**
 * The shape of every simulated kernel stack: immutable, changed with the {@code with...} methods.
 *
 * @param threadSize    THREAD_SIZE: virtual space reserved per stack; past it is the guard page
 * @param pageSize      growth granule
 * @param initial       bytes mapped when the stack is created (the dynamic design maps one page)
 * @param margin        a check grows the stack when less than frame + margin would remain mapped
 * @param fault         what an unchecked access below the mapped area does
 * @param cpus          simulated CPUs: each has a reserve and, with {@code irqStacks}, an IRQ stack
 * @param reservePages  pages per CPU that growth in no-sleep code must take from, refilled when the
 *                      thread leaves such code; {@link #NO_RESERVE} ignores no-sleep context
 * @param releaseAtPark a thread parking at an idle point gives back the pages below its sp
 * @param irqStacks     interrupts run on a per-CPU IRQ stack instead of the task's stack
 * @param design        the 2026 thread's designs on top: release at idle, multiplexing, reclaim after
 *                      a switch, per-CPU spares with a stash, a bound on free memory
 */
public record StackConfig(int threadSize, int pageSize, int initial, int margin, FaultPolicy fault, int cpus,
                          int reservePages, boolean releaseAtPark, boolean irqStacks, StackDesign design) {

    public static final int NO_RESERVE = -1;

    public static final StackConfig DEFAULT = new StackConfig(
            16 * 1024, 4 * 1024, 4 * 1024, 0, FaultPolicy.PANIC, 1, NO_RESERVE, false, false);

    /** The RFC's designs only, without those of the 2026 thread. */
    public StackConfig(int threadSize, int pageSize, int initial, int margin, FaultPolicy fault, int cpus,
                       int reservePages, boolean releaseAtPark, boolean irqStacks) {
        this(threadSize, pageSize, initial, margin, fault, cpus, reservePages, releaseAtPark, irqStacks,
                StackDesign.NONE);
    }

    public StackConfig {
        if (pageSize < 16 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page must be a power of two of at least 16 bytes, not " + pageSize);
        }
        if (threadSize < pageSize || threadSize % pageSize != 0) {
            throw new IllegalArgumentException(
                    "thread_size must be a positive multiple of page (" + pageSize + "), not " + threadSize);
        }
        if (initial < pageSize || initial > threadSize || initial % pageSize != 0) {
            throw new IllegalArgumentException("initial must be a multiple of page (" + pageSize
                    + ") between one page and thread_size (" + threadSize + "), not " + initial);
        }
        if (margin < 0 || margin >= threadSize) {
            throw new IllegalArgumentException("margin must be between 0 and thread_size - 1, not " + margin);
        }
        if (fault == null) {
            throw new IllegalArgumentException("fault must be panic or grow");
        }
        if (cpus < 1 || cpus > 65_536) {
            throw new IllegalArgumentException("cpus must be between 1 and 65536, not " + cpus);
        }
        if (reservePages < NO_RESERVE) {
            throw new IllegalArgumentException("reserve must be 0 or more pages, or off, not " + reservePages);
        }
        if (design == null) {
            throw new IllegalArgumentException("design must be given; StackDesign.NONE for the RFC's designs only");
        }
        if (reservePages != NO_RESERVE && design.spares() != StackDesign.OFF) {
            throw new IllegalArgumentException("reserve and spares both feed growth from per-CPU pages: give one");
        }
    }

    public StackConfig withThreadSize(int bytes) {
        return new StackConfig(bytes, pageSize, Math.min(initial, bytes), margin, fault, cpus, reservePages,
                releaseAtPark, irqStacks, design);
    }

    public StackConfig withPageSize(int bytes) {
        return new StackConfig(threadSize, bytes, initial, margin, fault, cpus, reservePages, releaseAtPark,
                irqStacks, design);
    }

    public StackConfig withInitial(int bytes) {
        return new StackConfig(threadSize, pageSize, bytes, margin, fault, cpus, reservePages, releaseAtPark,
                irqStacks, design);
    }

    public StackConfig withMargin(int bytes) {
        return new StackConfig(threadSize, pageSize, initial, bytes, fault, cpus, reservePages, releaseAtPark,
                irqStacks, design);
    }

    public StackConfig withFault(FaultPolicy policy) {
        return new StackConfig(threadSize, pageSize, initial, margin, policy, cpus, reservePages, releaseAtPark,
                irqStacks, design);
    }

    public StackConfig withCpus(int count) {
        return new StackConfig(threadSize, pageSize, initial, margin, fault, count, reservePages, releaseAtPark,
                irqStacks, design);
    }

    public StackConfig withReservePages(int pages) {
        return new StackConfig(threadSize, pageSize, initial, margin, fault, cpus, pages, releaseAtPark,
                irqStacks, design);
    }

    public StackConfig withReleaseAtPark(boolean release) {
        return new StackConfig(threadSize, pageSize, initial, margin, fault, cpus, reservePages, release,
                irqStacks, design);
    }

    public StackConfig withIrqStacks(boolean separate) {
        return new StackConfig(threadSize, pageSize, initial, margin, fault, cpus, reservePages, releaseAtPark,
                separate, design);
    }

    public StackConfig withDesign(StackDesign next) {
        return new StackConfig(threadSize, pageSize, initial, margin, fault, cpus, reservePages, releaseAtPark,
                irqStacks, next);
    }

    /** A fixed stack: all of THREAD_SIZE mapped up front, as in kernels without dynamic stacks. */
    public StackConfig fixed() {
        return withInitial(threadSize);
    }

    public boolean reserves() {
        return reservePages != NO_RESERVE;
    }
}

package io.dynstack.runtime;

/**
 * The shape of every simulated kernel stack: immutable, changed with the {@code with...} methods.
 *
 * @param threadSize  THREAD_SIZE: virtual space reserved per stack; past it is the guard page
 * @param pageSize    growth granule
 * @param initial     bytes mapped when the stack is created (the dynamic design maps one page)
 * @param margin      a check grows the stack when less than frame + margin would remain mapped
 * @param fault       what an unchecked access below the mapped area does
 */
public record StackConfig(int threadSize, int pageSize, int initial, int margin, FaultPolicy fault) {

    public static final int DEFAULT_THREAD_SIZE = 16 * 1024;
    public static final int DEFAULT_PAGE_SIZE = 4 * 1024;
    public static final int DEFAULT_INITIAL = 4 * 1024;
    public static final int DEFAULT_MARGIN = 0;

    public static final StackConfig DEFAULT = new StackConfig(
            DEFAULT_THREAD_SIZE, DEFAULT_PAGE_SIZE, DEFAULT_INITIAL, DEFAULT_MARGIN, FaultPolicy.PANIC);

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
    }

    public StackConfig withThreadSize(int bytes) {
        return new StackConfig(bytes, pageSize, Math.min(initial, bytes), margin, fault);
    }

    public StackConfig withPageSize(int bytes) {
        return new StackConfig(threadSize, bytes, initial, margin, fault);
    }

    public StackConfig withInitial(int bytes) {
        return new StackConfig(threadSize, pageSize, bytes, margin, fault);
    }

    public StackConfig withMargin(int bytes) {
        return new StackConfig(threadSize, pageSize, initial, bytes, fault);
    }

    public StackConfig withFault(FaultPolicy policy) {
        return new StackConfig(threadSize, pageSize, initial, margin, policy);
    }

    /** A fixed stack: all of THREAD_SIZE mapped up front, as in kernels without dynamic stacks. */
    public StackConfig fixed() {
        return withInitial(threadSize);
    }
}

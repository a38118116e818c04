package io.dynstack.runtime;

/**
 * An unrecoverable simulated kernel error: a double fault, an overflow past THREAD_SIZE, or no
 * reserve for growth where sleeping is not allowed. The message is the whole oops.
 */
public final class KernelPanic extends Error {

    private final transient Oops oops;

    KernelPanic(Oops oops) {
        super(oops.text());
        this.oops = oops;
    }

    public Oops oops() {
        return oops;
    }

    /** The oops's first line, for tables. */
    public String headline() {
        return oops.headline();
    }
}

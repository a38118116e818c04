package io.dynstack.agent.kernel;

import io.dynstack.agent.Probe;
import io.dynstack.annotation.ExpandStack;
import io.dynstack.annotation.Frame;

/** Call chains with declared frame sizes, so that every simulated number can be worked out by hand. */
public final class Chains {

    private Chains() {
    }

    /** read(2): 64 + 96 + 208 + 352 + 144 = 864 bytes at the driver. */
    @Frame(bytes = 64)
    public static int syscall() {
        return vfs();
    }

    @Frame(bytes = 96)
    static int vfs() {
        return filesystem();
    }

    @Frame(bytes = 208)
    static int filesystem() {
        return block();
    }

    @Frame(bytes = 352)
    static int block() {
        return driver();
    }

    @Frame(bytes = 144)
    static int driver() {
        return Probe.depth();
    }

    /** {@code n} frames of 512 bytes: checked at any threshold up to 512. */
    @Frame(bytes = 512)
    public static int deep(int n) {
        return n <= 1 ? Probe.depth() : deep(n - 1);
    }

    /** A checked 128-byte entry, then {@code n} frames of 48 bytes: below a threshold of 100. */
    @Frame(bytes = 128)
    public static int smallFrames(int n) {
        return small(n);
    }

    @Frame(bytes = 48)
    static int small(int n) {
        return n <= 1 ? Probe.depth() : small(n - 1);
    }

    /** Direct reclaim that knows it goes deep: 8 KiB mapped before the small frames run. */
    @ExpandStack(bytes = 8192)
    @Frame(bytes = 64)
    public static int reclaim(int n) {
        return small(n);
    }

    /** The same path without expand_stack. */
    @Frame(bytes = 64)
    public static int reclaimUnprepared(int n) {
        return small(n);
    }

    /** A 1000-byte C-like frame: the model would give this method 32 bytes. */
    @Frame(bytes = 1000)
    public static int bigLocals() {
        return Probe.depth();
    }

    public static int modelled() {
        return Probe.depth();
    }
}

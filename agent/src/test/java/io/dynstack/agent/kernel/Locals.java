package io.dynstack.agent.kernel;

import io.dynstack.annotation.Frame;

/** Frames whose locals and whole size disagree, as real kernel functions' do. */
public final class Locals {

    private Locals() {
    }

    /** entry_SYSCALL_64: 176 bytes, all of them pushed registers (pt_regs), no locals. */
    @Frame(bytes = 176, locals = 0, align = 8)
    public static int pushes() {
        return buffer() + 1;
    }

    /** futex_wait: 184 bytes, 120 of them locals. */
    @Frame(bytes = 184, locals = 120, align = 8)
    public static int buffer() {
        return modelled() + 1;
    }

    /** A modelled frame: 128 bytes, locals 128 - 16 = 112. */
    @Frame(bytes = 128)
    public static int modelled() {
        return odd();
    }

    /** At 8-byte granularity 40 stays 40 (16-byte rounding would make it 48). */
    @Frame(bytes = 40, align = 8)
    public static int odd() {
        return 1;
    }
}

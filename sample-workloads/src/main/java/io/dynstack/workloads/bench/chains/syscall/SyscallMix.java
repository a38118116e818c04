package io.dynstack.workloads.bench.chains.syscall;

/**
 * One op of a syscall mix: read(2), write(2), poll(2) and openat(2), each from the syscall entry
 * through the VFS and a filesystem down to the block layer where the real call would get there.
 * Frame sizes follow the kernel's: most functions take what their bytecode needs, the few with
 * large locals declare them ({@code do_sys_poll}'s on-stack poll table, {@code nameidata}, the
 * folio batch of {@code filemap_read}). Every layer mixes the value it passes down (Inline.mix), a stand-in for
 * the bookkeeping real layers do, so that the uninstrumented chain is not folded to a constant.
 */
public final class SyscallMix {

    private SyscallMix() {
    }

    /** One of each syscall; returns a value derived from every frame so none is dead code. */
    public static long run(long x) {
        long r = Syscalls.ksysRead(x);
        r ^= Syscalls.ksysWrite(x + 1);
        r ^= Syscalls.doSysPoll(x + 2);
        return r ^ Syscalls.doSysOpenat2(x + 3);
    }
}

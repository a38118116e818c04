package io.dynstack.workloads.bench.chains.syscall;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.bench.Inline;

/** The syscall entry points: ksys_read, ksys_write, do_sys_poll, do_sys_openat2. */
final class Syscalls {

    private Syscalls() {
    }

    static long ksysRead(long fd) {
        return Vfs.vfsRead(Inline.mix(fd));
    }

    static long ksysWrite(long fd) {
        return Vfs.vfsWrite(Inline.mix(fd));
    }

    /** do_sys_poll keeps its first poll_list and poll_wqueues on the stack: about 1 KiB. */
    @Frame(bytes = 992)
    static long doSysPoll(long fds) {
        return Vfs.doPoll(Inline.mix(fds));
    }

    @Frame(bytes = 112)
    static long doSysOpenat2(long dfd) {
        return Namei.doFilpOpen(Inline.mix(dfd));
    }
}

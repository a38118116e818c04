package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Wait;

/**
 * System call entry and the system calls the workloads make. The entry frame holds pt_regs (168
 * bytes) as on x86-64; frame sizes elsewhere are in the range checkstack reports for these functions.
 */
public final class Syscalls {

    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int POLL = 2;
    public static final int OPENAT = 3;
    public static final int FUTEX_WAIT = 4;
    public static final int EPOLL_WAIT = 5;
    /** A write that has to allocate memory and enters direct reclaim on the way. */
    public static final int WRITE_RECLAIM = 6;
    /** An ioctl whose handler is a long chain of small helpers. */
    public static final int IOCTL_CHAIN = 7;
    /** A write to a file on a stack of block devices (loop on dm-crypt on NVMe). */
    public static final int WRITE_STACKED = 8;
    /** KVM_RUN: a guest exit that faults in a page backed by a file. */
    public static final int KVM_RUN = 9;
    /** A cold-cache openat() whose read completion interrupt arrives while the task is deepest. */
    public static final int READ_IRQ = 10;
    /** ioctl(BINDER_WRITE_READ) on Android: a binder pool thread waiting for a transaction. */
    public static final int BINDER_WAIT = 11;

    private Syscalls() {
    }

    /** entry_SYSCALL_64: pt_regs at the top of the stack. */
    @Frame(bytes = 176)
    public static int entrySyscall64(int nr, int arg) {
        return doSyscall64(nr, arg);
    }

    @Frame(bytes = 48)
    static int doSyscall64(int nr, int arg) {
        return switch (nr) {
            case READ -> ksysRead(arg, false);
            case READ_IRQ -> doSysOpenat2(2);
            case WRITE -> ksysWrite(arg, false);
            case WRITE_RECLAIM -> ksysWriteOverlay(arg);
            case POLL -> sysPoll(arg);
            case OPENAT -> doSysOpenat2(arg);
            case FUTEX_WAIT -> sysFutex(arg);
            case EPOLL_WAIT -> sysEpollWait(arg);
            case IOCTL_CHAIN -> Chains.ioctl(arg);
            case WRITE_STACKED -> Storage.writeStacked(arg);
            case KVM_RUN -> Kvm.vcpuIoctl(arg);
            case BINDER_WAIT -> Binder.binderIoctl(arg);
            default -> throw new IllegalArgumentException("no system call " + nr);
        };
    }

    @Frame(bytes = 48)
    static int ksysRead(int count, boolean interrupt) {
        return Vfs.vfsRead(count, interrupt);
    }

    @Frame(bytes = 48)
    static int ksysWrite(int count, boolean lowMemory) {
        return Vfs.vfsWrite(count, lowMemory);
    }

    @Frame(bytes = 48)
    static int ksysWriteOverlay(int count) {
        return Vfs.ovlWriteIter(count);
    }

    @Frame(bytes = 48)
    static int sysPoll(int fds) {
        return doSysPoll(fds);
    }

    /** do_sys_poll(): poll_wqueues with its inline entries live on the stack, close to 1 KiB. */
    @Frame(bytes = 992)
    static int doSysPoll(int fds) {
        return Net.doPoll(fds);
    }

    /** do_sys_openat2() into do_filp_open(): struct nameidata on the stack. */
    @Frame(bytes = 96)
    static int doSysOpenat2(int coldCache) {
        return Vfs.doFilpOpen(coldCache);
    }

    @Frame(bytes = 64)
    static int sysFutex(int key) {
        return doFutex(key);
    }

    @Frame(bytes = 80)
    static int doFutex(int key) {
        return futexWait(key);
    }

    /** futex_wait(): struct futex_q and an hrtimer on the stack. */
    @Frame(bytes = 208)
    static int futexWait(int key) {
        futexWaitQueue();
        return key;
    }

    @Frame(bytes = 48)
    static void futexWaitQueue() {
        Kernel.waitIn(Wait.FUTEX);
        Sched.schedule();
    }

    @Frame(bytes = 48)
    static int sysEpollWait(int events) {
        return doEpollWait(events);
    }

    @Frame(bytes = 64)
    static int doEpollWait(int events) {
        return epPoll(events);
    }

    /** ep_poll(): a wait queue entry on the stack. */
    @Frame(bytes = 176)
    static int epPoll(int events) {
        Kernel.waitIn(Wait.EPOLL);
        Sched.scheduleHrtimeoutRange();
        return events;
    }
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Wait;
import io.dynstack.workloads.Linux;

/**
 * System call entry and the system calls the workloads make. The entry frame holds pt_regs (168
 * bytes) as on x86-64. Every frame is the function's in the committed 6.12.117 kernel data.
 *
 * <p>do_syscall_64() calls x64_sys_call(), whose switch jumps to the {@code __x64_sys_} stub, and
 * the stubs of read() and write() jump on to ksys_read() and ksys_write(): tail calls, so the
 * function jumped to sits right below do_syscall_64 (its frame holds the one return address
 * pushed by that call), as a stack trace shows it.
 */
public final class Syscalls {

    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int POLL = 2;
    public static final int OPENAT = 3;
    public static final int FUTEX_WAIT = 4;
    public static final int EPOLL_WAIT = 5;
    /** A write through overlayfs that has to allocate memory and enters direct reclaim on the way. */
    public static final int WRITE_RECLAIM = 6;
    /** An ioctl whose handler is a long chain of small helpers. */
    public static final int IOCTL_CHAIN = 7;
    /** A direct write to a file on a stack of block devices (loop devices on XFS on dm-crypt on NVMe). */
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
    @Linux("entry_SYSCALL_64")
    @Frame(bytes = 176, locals = 0, align = 8)
    public static int entrySyscall64(int nr, int arg) {
        return doSyscall64(nr, arg);
    }

    @Linux("do_syscall_64")
    @Frame(bytes = 48, locals = 0, align = 8)
    static int doSyscall64(int nr, int arg) {
        return switch (nr) {
            case READ -> ksysRead(arg);
            case READ_IRQ -> sysOpenat(2);
            case WRITE -> ksysWrite(Vfs.EXT4, arg);
            case WRITE_RECLAIM -> ksysWrite(Vfs.OVERLAY_LOW_MEMORY, arg);
            case WRITE_STACKED -> ksysWrite(Vfs.STACKED, arg);
            case POLL -> sysPoll(arg);
            case OPENAT -> sysOpenat(arg);
            case FUTEX_WAIT -> sysFutex(arg);
            case EPOLL_WAIT -> sysEpollWait(arg);
            case IOCTL_CHAIN, KVM_RUN, BINDER_WAIT -> sysIoctl(nr, arg);
            default -> throw new IllegalArgumentException("no system call " + nr);
        };
    }

    @Linux("ksys_read")
    @Frame(bytes = 56, locals = 16, align = 8)
    static int ksysRead(int count) {
        return Vfs.vfsRead(count);
    }

    @Linux("ksys_write")
    @Frame(bytes = 56, locals = 16, align = 8)
    static int ksysWrite(int file, int count) {
        return Vfs.vfsWrite(file, count);
    }

    @Linux("__x64_sys_poll")
    @Frame(bytes = 56, locals = 24, align = 8)
    static int sysPoll(int fds) {
        return doSysPoll(fds);
    }

    /**
     * do_sys_poll(): poll_wqueues with its inline entries live on the stack, close to 1 KiB; do_poll()
     * is inlined into it in 6.12, and it calls each file's poll method.
     */
    @Linux("do_sys_poll")
    @Frame(bytes = 1048, locals = 992, align = 8)
    static int doSysPoll(int fds) {
        return Net.sockPoll(fds);
    }

    @Linux("__x64_sys_openat")
    @Frame(bytes = 40, locals = 32, align = 8)
    static int sysOpenat(int coldCache) {
        return doSysOpenat2(coldCache);
    }

    @Linux("do_sys_openat2")
    @Frame(bytes = 72, locals = 40, align = 8)
    static int doSysOpenat2(int coldCache) {
        return Vfs.doFilpOpen(coldCache);
    }

    @Linux("__x64_sys_futex")
    @Frame(bytes = 120, locals = 56, align = 8)
    static int sysFutex(int key) {
        return doFutex(key);
    }

    @Linux("do_futex")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int doFutex(int key) {
        return futexWait(key);
    }

    @Linux("futex_wait")
    @Frame(bytes = 144, locals = 88, align = 8)
    static int futexWait(int key) {
        futexWaitInner();
        return key;
    }

    /** __futex_wait(): struct futex_q on the stack (6.12 split it out of futex_wait()). */
    @Linux("__futex_wait")
    @Frame(bytes = 192, locals = 144, align = 8)
    static void futexWaitInner() {
        futexWaitQueue();
    }

    @Linux("futex_wait_queue")
    @Frame(bytes = 40, locals = 0, align = 8)
    static void futexWaitQueue() {
        Kernel.waitIn(Wait.FUTEX);
        Sched.schedule();
    }

    @Linux("__x64_sys_epoll_wait")
    @Frame(bytes = 80, locals = 40, align = 8)
    static int sysEpollWait(int events) {
        return doEpollWait(events);
    }

    /**
     * do_epoll_wait(): ep_poll() and its wait queue entry are inlined into it in 6.12; it sleeps in
     * schedule_hrtimeout_range(), which jumps to schedule_hrtimeout_range_clock().
     */
    @Linux("do_epoll_wait")
    @Frame(bytes = 208, locals = 152, align = 8)
    static int doEpollWait(int events) {
        Kernel.waitIn(Wait.EPOLL);
        Sched.scheduleHrtimeoutRangeClock();
        return events;
    }

    /** ioctl(): vfs_ioctl() is inlined here and calls the file's unlocked_ioctl method. */
    @Linux("__x64_sys_ioctl")
    @Frame(bytes = 48, locals = 0, align = 8)
    static int sysIoctl(int nr, int arg) {
        return switch (nr) {
            case IOCTL_CHAIN -> Chains.drmIoctl(arg);
            case KVM_RUN -> Kvm.vcpuIoctl(arg);
            default -> Binder.binderIoctl(arg);
        };
    }
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Modelled;

/**
 * Android's binder driver: a thread of a binder pool waits for work inside BINDER_WRITE_READ. That
 * sleep is neither a futex nor an epoll wait, so the designs that give stacks back at those idle
 * points keep a binder thread's stack. Debian's cloud kernel is built without binder, so the data
 * file has none of these functions.
 */
public final class Binder {

    private static final String NO_BINDER = "binder is not built into the cloud kernel the data file is of";

    private Binder() {
    }

    /** binder_ioctl(): the ioctl's arguments and the thread lookup. */
    @Modelled(linux = "binder_ioctl", value = NO_BINDER)
    @Frame(bytes = 128)
    static int binderIoctl(int size) {
        return binderIoctlWriteRead(size);
    }

    /** binder_ioctl_write_read(): struct binder_write_read on the stack. */
    @Modelled(linux = "binder_ioctl_write_read", value = NO_BINDER)
    @Frame(bytes = 96)
    static int binderIoctlWriteRead(int size) {
        return binderThreadRead(size);
    }

    /** binder_thread_read(): the transaction data it would copy out. */
    @Modelled(linux = "binder_thread_read", value = NO_BINDER)
    @Frame(bytes = 160)
    static int binderThreadRead(int size) {
        binderWaitForWork();
        return size;
    }

    /** binder_wait_for_work(): a wait queue entry, then schedule(). */
    @Modelled(linux = "binder_wait_for_work", value = NO_BINDER)
    @Frame(bytes = 80)
    static void binderWaitForWork() {
        Sched.schedule();
    }
}

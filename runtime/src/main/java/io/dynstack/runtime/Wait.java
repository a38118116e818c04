package io.dynstack.runtime;

/**
 * Where a thread is about to sleep, as kernel code tells {@link Kernel#waitIn} before it calls the
 * scheduler: the designs that give stacks back while threads sleep tell these apart.
 */
public enum Wait {
    /** futex wait: a common idle point, and restartable: the wait can be redone from user space. */
    FUTEX,
    /** epoll wait: a common idle point, not restartable. */
    EPOLL,
    /** Anywhere else in the kernel: a kthread's loop, a binder wait, I/O. */
    KERNEL
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;

/** Kernel threads as they sit on an idle machine, each parked in its own idle loop. */
public final class Kthreads {

    public static final int SMPBOOT = 0;
    public static final int WORKER = 1;
    public static final int RCU_GP = 2;
    public static final int JBD2 = 3;
    public static final int KSWAPD = 4;

    private Kthreads() {
    }

    @Frame(bytes = 32)
    public static int retFromFork(int kind) {
        return kthread(kind);
    }

    @Frame(bytes = 96)
    static int kthread(int kind) {
        return switch (kind) {
            case SMPBOOT -> smpbootThreadFn();
            case WORKER -> workerThread();
            case RCU_GP -> rcuGpKthread();
            case JBD2 -> kjournald2();
            case KSWAPD -> kswapd();
            default -> throw new IllegalArgumentException("no kthread kind " + kind);
        };
    }

    /** ksoftirqd, migration and cpuhp: per-CPU threads of the smpboot framework. */
    @Frame(bytes = 64)
    static int smpbootThreadFn() {
        Sched.schedule();
        return 0;
    }

    @Frame(bytes = 80)
    static int workerThread() {
        Sched.schedule();
        return 0;
    }

    @Frame(bytes = 64)
    static int rcuGpKthread() {
        return rcuGpFqsLoop();
    }

    @Frame(bytes = 96)
    static int rcuGpFqsLoop() {
        swaitEventIdleTimeout();
        return 0;
    }

    @Frame(bytes = 80)
    static void swaitEventIdleTimeout() {
        Sched.schedule();
    }

    /** The journal thread commits once at boot, through a loop-mounted image, then sleeps. */
    @Frame(bytes = 96)
    static int kjournald2() {
        int written = jbd2JournalCommitTransaction();
        Sched.schedule();
        return written;
    }

    /** jbd2_journal_commit_transaction(): large, with buffer-head arrays on the stack. */
    @Frame(bytes = 400)
    static int jbd2JournalCommitTransaction() {
        return jbd2JournalWriteMetadataBuffer();
    }

    @Frame(bytes = 144)
    static int jbd2JournalWriteMetadataBuffer() {
        return Storage.writeStacked(1);
    }

    /** kswapd balances the node once at boot, reclaiming through the shrinkers, then sleeps. */
    @Frame(bytes = 96)
    static int kswapd() {
        int reclaimed = balancePgdat();
        Sched.schedule();
        return reclaimed;
    }

    @Frame(bytes = 240)
    static int balancePgdat() {
        return Mm.shrinkNode(32);
    }
}

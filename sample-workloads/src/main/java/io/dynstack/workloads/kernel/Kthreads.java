package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Linux;
import io.dynstack.workloads.Modelled;

/** Kernel threads as they sit on an idle machine, each parked in its own idle loop. */
public final class Kthreads {

    public static final int SMPBOOT = 0;
    public static final int WORKER = 1;
    public static final int RCU_GP = 2;
    public static final int JBD2 = 3;
    public static final int KSWAPD = 4;

    private Kthreads() {
    }

    /** ret_from_fork_asm: the fork frame's pt_regs at the top of every kthread's stack. */
    @Modelled(linux = "ret_from_fork_asm", value = "the data counts hand-written entry code's return address"
            + " only (8 bytes); copy_thread() puts pt_regs, 168 bytes, at the top of every task's stack, the"
            + " return address makes 176")
    @Frame(bytes = 176, align = 8)
    public static int retFromForkAsm(int kind) {
        return retFromFork(kind);
    }

    /** ret_from_fork() calls the thread function, kthread(). */
    @Linux("ret_from_fork")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int retFromFork(int kind) {
        return kthread(kind);
    }

    /** kthread() calls the thread's own function. */
    @Linux("kthread")
    @Frame(bytes = 56, locals = 0, align = 8)
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
    @Linux("smpboot_thread_fn")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int smpbootThreadFn() {
        Sched.schedule();
        return 0;
    }

    @Linux("worker_thread")
    @Frame(bytes = 64, locals = 8, align = 8)
    static int workerThread() {
        Sched.schedule();
        return 0;
    }

    @Linux("rcu_gp_kthread")
    @Frame(bytes = 56, locals = 32, align = 8)
    static int rcuGpKthread() {
        return rcuGpFqsLoop();
    }

    /** rcu_gp_fqs_loop(): swait_event_idle_timeout_exclusive() is a macro; its wait is schedule_timeout(). */
    @Linux("rcu_gp_fqs_loop")
    @Frame(bytes = 104, locals = 48, align = 8)
    static int rcuGpFqsLoop() {
        Sched.scheduleTimeout();
        return 0;
    }

    /**
     * The journal thread commits once at boot, then sleeps. The journal is on a loop-mounted image:
     * the commit's buffers go to the loop device, whose backing file is on XFS on dm-crypt.
     */
    @Linux("kjournald2")
    @Frame(bytes = 120, locals = 64, align = 8)
    static int kjournald2() {
        int written = jbd2JournalCommitTransaction();
        Sched.schedule();
        return written;
    }

    /**
     * jbd2_journal_commit_transaction(): large, with buffer-head arrays on the stack. It copies the
     * metadata buffers out, then submits them (submit_bh(), which jumps on to submit_bio()).
     */
    @Linux("jbd2_journal_commit_transaction")
    @Frame(bytes = 472, locals = 416, align = 8)
    static int jbd2JournalCommitTransaction() {
        return jbd2JournalWriteMetadataBuffer() + Block.submitBioNoacctNocheck(Block.LOOP, 1, false);
    }

    @Linux("jbd2_journal_write_metadata_buffer")
    @Frame(bytes = 104, locals = 48, align = 8)
    static int jbd2JournalWriteMetadataBuffer() {
        return 1;
    }

    /** kswapd balances the node once at boot, reclaiming through the shrinkers, then sleeps. */
    @Linux("kswapd")
    @Frame(bytes = 120, locals = 64, align = 8)
    static int kswapd() {
        int reclaimed = balancePgdat();
        Sched.schedule();
        return reclaimed;
    }

    /** balance_pgdat(): kswapd_shrink_node() is inlined into it. */
    @Linux("balance_pgdat")
    @Frame(bytes = 376, locals = 320, align = 8)
    static int balancePgdat() {
        return Mm.shrinkNode(32);
    }
}

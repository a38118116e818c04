package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.annotation.NoSleep;
import io.dynstack.workloads.Linux;
import io.dynstack.workloads.Modelled;

/**
 * A hard interrupt from the NVMe device, and the softirq work run on its way out: all of it code
 * that may not sleep, so stack growth here cannot wait for memory.
 */
public final class Irq {

    private Irq() {
    }

    /** asm_common_interrupt: the interrupted context's pt_regs, pushed by the CPU and the entry code. */
    @NoSleep
    @Modelled(linux = "asm_common_interrupt", value = "the data counts hand-written entry code's return address"
            + " only (8 bytes); the CPU's frame and the entry code's pushes are the interrupted context's pt_regs,"
            + " 168 bytes, and the return address makes 176, as entry_SYSCALL_64's row has it")
    @Frame(bytes = 176, align = 8)
    public static void asmCommonInterrupt() {
        commonInterrupt();
    }

    /** common_interrupt(): the handler, then irq_exit_rcu(), which jumps to __irq_exit_rcu(). */
    @Linux("common_interrupt")
    @Frame(bytes = 32, locals = 0, align = 8)
    static void commonInterrupt() {
        commonInterruptInner();
        irqExitRcu();
    }

    /** __common_interrupt() calls the descriptor's flow handler (handle_irq() is inlined). */
    @Linux("__common_interrupt")
    @Frame(bytes = 40, locals = 0, align = 8)
    static void commonInterruptInner() {
        handleEdgeIrq();
    }

    @Linux("handle_edge_irq")
    @Frame(bytes = 32, locals = 0, align = 8)
    static void handleEdgeIrq() {
        handleIrqEvent();
    }

    @Linux("handle_irq_event")
    @Frame(bytes = 32, locals = 0, align = 8)
    static void handleIrqEvent() {
        handleIrqEventPercpu();
    }

    /** __handle_irq_event_percpu() calls each action's handler. */
    @Linux("__handle_irq_event_percpu")
    @Frame(bytes = 56, locals = 0, align = 8)
    static void handleIrqEventPercpu() {
        nvmeIrq();
    }

    @Linux("nvme_irq")
    @Frame(bytes = 64, locals = 48, align = 8)
    static void nvmeIrq() {
        nvmePollCq();
    }

    /** nvme_poll_cq(): completes the requests of the completion queue. */
    @Linux("nvme_poll_cq")
    @Frame(bytes = 64, locals = 8, align = 8)
    static void nvmePollCq() {
    }

    /** __irq_exit_rcu(): where irq_exit_rcu() jumps to; it runs the pending softirqs. */
    @Linux("__irq_exit_rcu")
    @Frame(bytes = 16, locals = 0, align = 8)
    static void irqExitRcu() {
        handleSoftirqs();
    }

    /** handle_softirqs() calls each pending softirq's action. */
    @NoSleep
    @Linux("handle_softirqs")
    @Frame(bytes = 88, locals = 32, align = 8)
    static void handleSoftirqs() {
        Net.netRxAction();
    }
}

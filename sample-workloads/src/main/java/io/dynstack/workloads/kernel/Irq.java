package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.annotation.NoSleep;

/**
 * A hard interrupt from the NVMe device, and the softirq work run on its way out: all of it code
 * that may not sleep, so stack growth here cannot wait for memory.
 */
public final class Irq {

    private Irq() {
    }

    /** common_interrupt(): the interrupted context's pt_regs. */
    @NoSleep
    @Frame(bytes = 176)
    public static void commonInterrupt() {
        handleIrq();
        irqExitRcu();
    }

    @Frame(bytes = 48)
    static void handleIrq() {
        handleEdgeIrq();
    }

    @Frame(bytes = 64)
    static void handleEdgeIrq() {
        nvmeIrq();
    }

    @Frame(bytes = 64)
    static void nvmeIrq() {
        nvmeProcessCq();
    }

    @Frame(bytes = 96)
    static void nvmeProcessCq() {
        blkMqEndRequest();
    }

    @Frame(bytes = 64)
    static void blkMqEndRequest() {
    }

    @Frame(bytes = 32)
    static void irqExitRcu() {
        doSoftirq();
    }

    @NoSleep
    @Frame(bytes = 128)
    static void doSoftirq() {
        Net.netRxAction();
    }
}

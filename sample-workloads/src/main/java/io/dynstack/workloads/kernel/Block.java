package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.runtime.Kernel;

/** The block layer down to an NVMe driver: 608 bytes from submit_bio() to nvme_prep_rq(). */
public final class Block {

    private Block() {
    }

    @Frame(bytes = 32)
    public static int submitBio(int sectors, boolean interrupt) {
        return submitBioNoacct(sectors, interrupt);
    }

    @Frame(bytes = 64)
    static int submitBioNoacct(int sectors, boolean interrupt) {
        return submitBioNoacctNocheck(sectors, interrupt);
    }

    @Frame(bytes = 48)
    static int submitBioNoacctNocheck(int sectors, boolean interrupt) {
        return blkMqSubmitBio(sectors, interrupt);
    }

    @Frame(bytes = 112)
    static int blkMqSubmitBio(int sectors, boolean interrupt) {
        return blkMqTryIssueDirectly(sectors, interrupt);
    }

    @Frame(bytes = 48)
    static int blkMqTryIssueDirectly(int sectors, boolean interrupt) {
        return blkMqIssueDirectly(sectors, interrupt);
    }

    @Frame(bytes = 64)
    static int blkMqIssueDirectly(int sectors, boolean interrupt) {
        return nvmeQueueRq(sectors, interrupt);
    }

    @Frame(bytes = 144)
    static int nvmeQueueRq(int sectors, boolean interrupt) {
        return nvmePrepRq(sectors, interrupt);
    }

    /** The deepest point of an I/O: where the workload lets a completion interrupt arrive. */
    @Frame(bytes = 96)
    static int nvmePrepRq(int sectors, boolean interrupt) {
        if (interrupt) {
            Kernel.interrupt(Irq::commonInterrupt);
        }
        return sectors;
    }
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.runtime.Kernel;
import io.dynstack.workloads.Linux;

/**
 * The block layer, down to the device a bio is for: an NVMe drive, a loop device or dm-crypt.
 *
 * <p>submit_bio() jumps to submit_bio_noacct(), which jumps to submit_bio_noacct_nocheck(), and
 * submit_bh(), submit_bh_wbc() and iomap_dio_submit_bio() end in a jump to submit_bio() too: tail
 * calls, so whoever called the first of them has submit_bio_noacct_nocheck() right below it, and
 * it is the entry here.
 */
public final class Block {

    static final int NVME = 0;
    static final int LOOP = 1;
    static final int CRYPT = 2;

    private Block() {
    }

    /**
     * The bio's device, and {@code arg}: the sectors for NVMe and dm-crypt, the loop devices still
     * below for a loop device.
     */
    @Linux("submit_bio_noacct_nocheck")
    @Frame(bytes = 104, locals = 48, align = 8)
    static int submitBioNoacctNocheck(int device, int arg, boolean interrupt) {
        return submitBioInner(device, arg, interrupt);
    }

    /** __submit_bio(): a blk-mq device's queue, or a bio-based one's submit_bio method (dm). */
    @Linux("__submit_bio")
    @Frame(bytes = 128, locals = 80, align = 8)
    static int submitBioInner(int device, int arg, boolean interrupt) {
        return device == CRYPT ? Storage.dmSubmitBio(arg) : blkMqSubmitBio(device, arg, interrupt);
    }

    @Linux("blk_mq_submit_bio")
    @Frame(bytes = 144, locals = 88, align = 8)
    static int blkMqSubmitBio(int device, int arg, boolean interrupt) {
        return blkMqTryIssueDirectly(device, arg, interrupt);
    }

    @Linux("blk_mq_try_issue_directly")
    @Frame(bytes = 56, locals = 0, align = 8)
    static int blkMqTryIssueDirectly(int device, int arg, boolean interrupt) {
        return blkMqIssueDirectly(device, arg, interrupt);
    }

    /** __blk_mq_issue_directly() calls the driver's queue_rq method. */
    @Linux("__blk_mq_issue_directly")
    @Frame(bytes = 56, locals = 24, align = 8)
    static int blkMqIssueDirectly(int device, int arg, boolean interrupt) {
        return device == LOOP ? Storage.loopQueueRq(arg) : nvmeQueueRq(arg, interrupt);
    }

    @Linux("nvme_queue_rq")
    @Frame(bytes = 48, locals = 0, align = 8)
    static int nvmeQueueRq(int sectors, boolean interrupt) {
        return nvmePrepRq(sectors, interrupt);
    }

    /** The deepest point of an I/O: where the workload lets a completion interrupt arrive. */
    @Linux("nvme_prep_rq")
    @Frame(bytes = 128, locals = 64, align = 8)
    static int nvmePrepRq(int sectors, boolean interrupt) {
        if (interrupt) {
            Kernel.interrupt(Irq::asmCommonInterrupt);
        }
        return sectors;
    }
}

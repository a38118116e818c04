package io.dynstack.workloads.bench.chains.syscall;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.bench.Inline;

/** The block layer down to the driver: submit_bio, blk-mq, an NVMe queue. */
final class Block {

    private Block() {
    }

    static long submitBio(long bio) {
        return blkMqSubmitBio(Inline.mix(bio));
    }

    @Frame(bytes = 144)
    static long blkMqSubmitBio(long bio) {
        return nvmeQueueRq(Inline.mix(bio));
    }

    @Frame(bytes = 176)
    static long nvmeQueueRq(long rq) {
        return Inline.mix(rq);
    }
}

package io.dynstack.workloads.bench.chains.syscall;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.bench.Inline;

/** The VFS layer: vfs_read, vfs_write and the poll loop, handing over to the filesystem or socket. */
final class Vfs {

    private Vfs() {
    }

    @Frame(bytes = 96)
    static long vfsRead(long file) {
        return Ext4.ext4FileReadIter(Inline.mix(file));
    }

    @Frame(bytes = 96)
    static long vfsWrite(long file) {
        return Ext4.ext4BufferedWriteIter(Inline.mix(file));
    }

    @Frame(bytes = 96)
    static long doPoll(long wait) {
        return Net.tcpPoll(Inline.mix(wait));
    }
}

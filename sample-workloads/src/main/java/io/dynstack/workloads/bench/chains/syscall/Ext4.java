package io.dynstack.workloads.bench.chains.syscall;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.bench.Inline;

/** An ext4-like filesystem: page-cache reads, buffered writes through the journal, directory lookup. */
final class Ext4 {

    private Ext4() {
    }

    static long ext4FileReadIter(long iocb) {
        return filemapRead(Inline.mix(iocb));
    }

    /** filemap_read keeps a folio_batch of 31 pointers on the stack. */
    @Frame(bytes = 320)
    static long filemapRead(long iocb) {
        return filemapGetPages(Inline.mix(iocb));
    }

    @Frame(bytes = 128)
    static long filemapGetPages(long iocb) {
        return ext4MpageReadpages(Inline.mix(iocb));
    }

    @Frame(bytes = 208)
    static long ext4MpageReadpages(long rac) {
        return Block.submitBio(Inline.mix(rac));
    }

    @Frame(bytes = 112)
    static long ext4BufferedWriteIter(long iocb) {
        return genericPerformWrite(Inline.mix(iocb));
    }

    @Frame(bytes = 160)
    static long genericPerformWrite(long iocb) {
        return ext4DaWriteBegin(Inline.mix(iocb));
    }

    @Frame(bytes = 128)
    static long ext4DaWriteBegin(long pos) {
        return jbd2JournalStart(Inline.mix(pos));
    }

    static long jbd2JournalStart(long handle) {
        return Block.submitBio(Inline.mix(handle));
    }

    @Frame(bytes = 160)
    static long ext4Lookup(long dentry) {
        return ext4FindEntry(Inline.mix(dentry));
    }

    /** ext4_find_entry keeps an array of buffer heads for readahead on the stack. */
    @Frame(bytes = 256)
    static long ext4FindEntry(long dir) {
        return Block.submitBio(Inline.mix(dir));
    }
}

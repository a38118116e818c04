package io.dynstack.workloads.kernel;

import io.dynstack.annotation.ExpandStack;
import io.dynstack.annotation.Frame;

/**
 * Stacked storage: dm-crypt on NVMe, and a file written through nested loop devices down to XFS
 * on dm-crypt. This is the kind of path that pushed x86-64 from 8 KiB to 16 KiB stacks in 2014.
 */
public final class Storage {

    private Storage() {
    }

    /** A bio for a dm-crypt device: split, encrypted, then sent to the NVMe below. */
    @Frame(bytes = 32)
    static int submitToCryptDevice(int sectors) {
        return dmSubmitBio(sectors);
    }

    @Frame(bytes = 64)
    static int dmSubmitBio(int sectors) {
        return splitAndProcessBio(sectors);
    }

    @Frame(bytes = 112)
    static int splitAndProcessBio(int sectors) {
        return mapBio(sectors);
    }

    @Frame(bytes = 64)
    static int mapBio(int sectors) {
        return cryptMap(sectors);
    }

    @Frame(bytes = 48)
    static int cryptMap(int sectors) {
        return kcryptdCryptWriteConvert(sectors);
    }

    @Frame(bytes = 96)
    static int kcryptdCryptWriteConvert(int sectors) {
        return cryptConvert(sectors);
    }

    @Frame(bytes = 80)
    static int cryptConvert(int sectors) {
        return cryptConvertBlockSkcipher(sectors);
    }

    @Frame(bytes = 128)
    static int cryptConvertBlockSkcipher(int sectors) {
        return aesniXtsEncrypt(sectors);
    }

    /** The AES-NI XTS glue keeps its walk state and a block buffer on the stack. */
    @Frame(bytes = 256)
    static int aesniXtsEncrypt(int sectors) {
        return kcryptdCryptWriteIoSubmit(sectors);
    }

    @Frame(bytes = 48)
    static int kcryptdCryptWriteIoSubmit(int sectors) {
        return Block.submitBio(sectors, false);
    }

    /**
     * write() on ext4 on {@code loops} nested loop devices, the last backed by XFS on dm-crypt: a
     * known deep path, so it maps 12 KiB ahead.
     */
    @ExpandStack(bytes = 12 * 1024)
    @Frame(bytes = 96)
    static int writeStacked(int loops) {
        return ext4DioWriteIter(loops);
    }

    @Frame(bytes = 128)
    static int ext4DioWriteIter(int loops) {
        return iomapDioRw(loops);
    }

    /** iomap_dio_rw(): the iomap_iter and dio state on the stack. */
    @Frame(bytes = 256)
    static int iomapDioRw(int loops) {
        return iomapDioBioIter(loops);
    }

    @Frame(bytes = 160)
    static int iomapDioBioIter(int loops) {
        return loops > 0 ? submitToLoop(loops - 1) : xfsFileWriteIter();
    }

    /** A loop device: the bio becomes a direct write to the backing file, on the same stack. */
    @Frame(bytes = 64)
    static int loopQueueRq(int loops) {
        return loRwAio(loops);
    }

    /** The bio for the loop device goes through the block layer first. */
    @Frame(bytes = 32)
    static int submitToLoop(int loops) {
        return loopSubmitBioNoacct(loops);
    }

    @Frame(bytes = 64)
    static int loopSubmitBioNoacct(int loops) {
        return loopBlkMqSubmitBio(loops);
    }

    @Frame(bytes = 112)
    static int loopBlkMqSubmitBio(int loops) {
        return loopIssueDirectly(loops);
    }

    @Frame(bytes = 64)
    static int loopIssueDirectly(int loops) {
        return loopQueueRq(loops);
    }

    @Frame(bytes = 112)
    static int loRwAio(int loops) {
        return ext4DioWriteIter(loops);
    }

    @Frame(bytes = 80)
    static int xfsFileWriteIter() {
        return xfsDirectWriteIomapBegin();
    }

    @Frame(bytes = 224)
    static int xfsDirectWriteIomapBegin() {
        return xfsIomapWriteDirect();
    }

    @Frame(bytes = 160)
    static int xfsIomapWriteDirect() {
        return xfsBmapiWrite();
    }

    /** xfs_bmapi_write(): the bmalloca argument block and a map array on the stack. */
    @Frame(bytes = 400)
    static int xfsBmapiWrite() {
        return xfsBmapBtalloc();
    }

    @Frame(bytes = 256)
    static int xfsBmapBtalloc() {
        return xfsAllocAgVextentNear();
    }

    /** xfs_alloc_ag_vextent_near(): two btree cursors' worth of state on the stack. */
    @Frame(bytes = 400)
    static int xfsAllocAgVextentNear() {
        return xfsBtreeLookup();
    }

    @Frame(bytes = 144)
    static int xfsBtreeLookup() {
        return xfsBtreeReadBufBlock();
    }

    @Frame(bytes = 96)
    static int xfsBtreeReadBufBlock() {
        return xfsBufSubmit();
    }

    @Frame(bytes = 48)
    static int xfsBufSubmit() {
        return submitToCryptDevice(8);
    }
}

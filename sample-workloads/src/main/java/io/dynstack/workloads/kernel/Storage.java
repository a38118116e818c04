package io.dynstack.workloads.kernel;

import io.dynstack.annotation.ExpandStack;
import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Linux;
import io.dynstack.workloads.Modelled;

/**
 * Stacked storage: a direct write to a file on ext4 on nested loop devices, the last one backed by
 * a file on XFS on dm-crypt on NVMe. This is the kind of path that pushed x86-64 from 8 KiB to
 * 16 KiB stacks in 2014.
 *
 * <p>Two links are the workload's, not 6.12's, and say so where they are: a loop device in 6.12
 * hands its request to a kworker (loop_queue_rq() queues it, loop_process_work() calls
 * lo_rw_aio()), and dm-crypt encrypts a write inline only with the no_write_workqueue option. Here
 * both run on the submitting task's stack, as the older synchronous paths did, so that one stack
 * carries the whole stack of devices; every frame on the way is still the real function's.
 */
public final class Storage {

    private Storage() {
    }

    /**
     * ext4_file_write_iter() for a direct write: ext4_dio_write_iter() is inlined into it. The file
     * system is on loop device {@code loops}.
     */
    @Linux("ext4_file_write_iter")
    @Frame(bytes = 136, locals = 72, align = 8)
    static int ext4FileWriteIter(int loops) {
        return iomapDioRw(Block.LOOP, loops);
    }

    @Linux("iomap_dio_rw")
    @Frame(bytes = 16, locals = 0, align = 8)
    static int iomapDioRw(int device, int arg) {
        return iomapDioRwInner(device, arg);
    }

    /**
     * __iomap_dio_rw(): the iomap_iter and dio state on the stack. On XFS the file is sparse, so
     * mapping it (iomap_iter()) allocates the blocks; on ext4 it overwrites blocks it has. Then the
     * data goes to the device below.
     */
    @Linux("__iomap_dio_rw")
    @Frame(bytes = 392, locals = 336, align = 8)
    static int iomapDioRwInner(int device, int arg) {
        return (device == Block.CRYPT ? iomapIter() : 0) + iomapDioBioIter(device, arg);
    }

    /** iomap_dio_bio_iter() calls iomap_dio_submit_bio(), which jumps to submit_bio(). */
    @Linux("iomap_dio_bio_iter")
    @Frame(bytes = 96, locals = 40, align = 8)
    static int iomapDioBioIter(int device, int arg) {
        return Block.submitBioNoacctNocheck(device, arg, false);
    }

    /** A loop device: the request becomes a direct write to the backing file. */
    @Linux("loop_queue_rq")
    @Frame(bytes = 80, locals = 24, align = 8)
    static int loopQueueRq(int loops) {
        // 6.12 queues the command to a kworker here; the workload writes the backing file on this stack.
        return loRwAio(loops);
    }

    /**
     * lo_rw_aio() calls the backing file's write_iter: ext4 on the next loop device, or XFS below
     * the last one. Stacked devices are a known deep path, so it maps 12 KiB ahead.
     */
    @ExpandStack(bytes = 12 * 1024)
    @Linux("lo_rw_aio")
    @Frame(bytes = 144, locals = 88, align = 8)
    static int loRwAio(int loops) {
        return loops > 1 ? ext4FileWriteIter(loops - 1) : xfsFileWriteIter();
    }

    @Linux("xfs_file_write_iter")
    @Frame(bytes = 24, locals = 0, align = 8)
    static int xfsFileWriteIter() {
        return xfsFileDioWriteAligned();
    }

    @Linux("xfs_file_dio_write_aligned")
    @Frame(bytes = 64, locals = 24, align = 8)
    static int xfsFileDioWriteAligned() {
        return iomapDioRw(Block.CRYPT, 8);
    }

    /** iomap_iter() calls the file system's iomap_begin method. */
    @Linux("iomap_iter")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int iomapIter() {
        return xfsDirectWriteIomapBegin();
    }

    @Linux("xfs_direct_write_iomap_begin")
    @Frame(bytes = 208, locals = 152, align = 8)
    static int xfsDirectWriteIomapBegin() {
        return xfsIomapWriteDirect();
    }

    @Linux("xfs_iomap_write_direct")
    @Frame(bytes = 128, locals = 56, align = 8)
    static int xfsIomapWriteDirect() {
        return xfsBmapiWrite();
    }

    /** xfs_bmapi_write(): the bmalloca argument block and a map array on the stack. */
    @Linux("xfs_bmapi_write")
    @Frame(bytes = 328, locals = 272, align = 8)
    static int xfsBmapiWrite() {
        return xfsBmapiAllocate();
    }

    @Linux("xfs_bmapi_allocate")
    @Frame(bytes = 64, locals = 0, align = 8)
    static int xfsBmapiAllocate() {
        return xfsBmapBtalloc();
    }

    @Linux("xfs_bmap_btalloc")
    @Frame(bytes = 272, locals = 184, align = 8)
    static int xfsBmapBtalloc() {
        return xfsAllocVextentNearBno();
    }

    @Linux("xfs_alloc_vextent_near_bno")
    @Frame(bytes = 56, locals = 16, align = 8)
    static int xfsAllocVextentNearBno() {
        return xfsAllocAgVextentNear();
    }

    @Linux("xfs_alloc_ag_vextent_near")
    @Frame(bytes = 152, locals = 96, align = 8)
    static int xfsAllocAgVextentNear() {
        return xfsBtreeLookup();
    }

    @Linux("xfs_btree_lookup")
    @Frame(bytes = 152, locals = 96, align = 8)
    static int xfsBtreeLookup() {
        return xfsBtreeLookupGetBlock();
    }

    @Linux("xfs_btree_lookup_get_block")
    @Frame(bytes = 64, locals = 24, align = 8)
    static int xfsBtreeLookupGetBlock() {
        return xfsBtreeReadBufBlock();
    }

    @Linux("xfs_btree_read_buf_block")
    @Frame(bytes = 104, locals = 32, align = 8)
    static int xfsBtreeReadBufBlock() {
        return xfsTransReadBufMap();
    }

    @Linux("xfs_trans_read_buf_map")
    @Frame(bytes = 96, locals = 32, align = 8)
    static int xfsTransReadBufMap() {
        return xfsBufReadMap();
    }

    @Linux("xfs_buf_read_map")
    @Frame(bytes = 96, locals = 32, align = 8)
    static int xfsBufReadMap() {
        return xfsBufSubmit();
    }

    @Linux("__xfs_buf_submit")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int xfsBufSubmit() {
        return xfsBufIoapply();
    }

    /** _xfs_buf_ioapply() builds the bio and calls submit_bio(), for the dm-crypt device. */
    @Linux("_xfs_buf_ioapply")
    @Frame(bytes = 200, locals = 144, align = 8)
    static int xfsBufIoapply() {
        return Block.submitBioNoacctNocheck(Block.CRYPT, 8, false);
    }

    /** A bio for a dm-crypt device: split, encrypted, then sent to the NVMe below. */
    @Modelled(linux = "dm_submit_bio", value = "in module dm_mod, which the data file does not have")
    @Frame(bytes = 64)
    static int dmSubmitBio(int sectors) {
        return dmSplitAndProcessBio(sectors);
    }

    @Modelled(linux = "dm_split_and_process_bio", value = "in module dm_mod, which the data file does not have")
    @Frame(bytes = 112)
    static int dmSplitAndProcessBio(int sectors) {
        return mapBio(sectors);
    }

    /** __map_bio() calls the target's map method. */
    @Modelled(linux = "__map_bio", value = "in module dm_mod, which the data file does not have")
    @Frame(bytes = 64)
    static int mapBio(int sectors) {
        return cryptMap(sectors);
    }

    /** crypt_map() calls kcryptd_queue_crypt(), which jumps to kcryptd_crypt_write_convert(). */
    @Linux("crypt_map")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int cryptMap(int sectors) {
        // Inline only with no_write_workqueue; by default kcryptd_queue_crypt() queues the work.
        return kcryptdCryptWriteConvert(sectors);
    }

    /** Encrypt, then submit the encrypted bio. */
    @Linux("kcryptd_crypt_write_convert")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int kcryptdCryptWriteConvert(int sectors) {
        return cryptConvert(sectors) + kcryptdCryptWriteIoSubmit(sectors);
    }

    /** crypt_convert(): crypt_convert_block_skcipher() is inlined; it calls the cipher's encrypt. */
    @Linux("crypt_convert")
    @Frame(bytes = 208, locals = 152, align = 8)
    static int cryptConvert(int sectors) {
        return aesniXtsEncrypt(sectors);
    }

    /** The AES-NI XTS glue keeps its walk state and a block buffer on the stack. */
    @Modelled(linux = "aesni_xts_encrypt", value = "in module aesni_intel, which the data file does not have")
    @Frame(bytes = 256)
    static int aesniXtsEncrypt(int sectors) {
        return sectors;
    }

    @Linux("kcryptd_crypt_write_io_submit")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int kcryptdCryptWriteIoSubmit(int sectors) {
        return dmSubmitBioRemap(sectors);
    }

    /** dm_submit_bio_remap() calls submit_bio_noacct(), which jumps to submit_bio_noacct_nocheck(). */
    @Modelled(linux = "dm_submit_bio_remap", value = "in module dm_mod, which the data file does not have")
    @Frame(bytes = 48)
    static int dmSubmitBioRemap(int sectors) {
        return Block.submitBioNoacctNocheck(Block.NVME, sectors, false);
    }
}

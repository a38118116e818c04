package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Linux;

/**
 * Evicting an inode from the shrinker: truncate, free its blocks, load the block bitmap.
 * ext4_ext_rm_leaf(), ext4_mb_clear_bb(), ext4_mb_load_buddy() and ext4_mb_get_buddy_page_lock()
 * are inlined into their callers in 6.12.
 */
final class Ext4Evict {

    private Ext4Evict() {
    }

    @Linux("ext4_evict_inode")
    @Frame(bytes = 88, locals = 16, align = 8)
    static int ext4EvictInode(int size) {
        return ext4Truncate(size);
    }

    @Linux("ext4_truncate")
    @Frame(bytes = 80, locals = 16, align = 8)
    static int ext4Truncate(int size) {
        return ext4ExtTruncate(size);
    }

    @Linux("ext4_ext_truncate")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int ext4ExtTruncate(int size) {
        return ext4ExtRemoveSpace(size);
    }

    @Linux("ext4_ext_remove_space")
    @Frame(bytes = 280, locals = 184, align = 8)
    static int ext4ExtRemoveSpace(int size) {
        return ext4FreeBlocks(size);
    }

    @Linux("ext4_free_blocks")
    @Frame(bytes = 224, locals = 144, align = 8)
    static int ext4FreeBlocks(int size) {
        return ext4MbLoadBuddyGfp(size);
    }

    @Linux("ext4_mb_load_buddy_gfp")
    @Frame(bytes = 72, locals = 16, align = 8)
    static int ext4MbLoadBuddyGfp(int size) {
        return ext4MbInitGroup(size);
    }

    @Linux("ext4_mb_init_group")
    @Frame(bytes = 136, locals = 80, align = 8)
    static int ext4MbInitGroup(int size) {
        return ext4MbInitCache(size);
    }

    @Linux("ext4_mb_init_cache")
    @Frame(bytes = 152, locals = 96, align = 8)
    static int ext4MbInitCache(int size) {
        return ext4ReadBlockBitmapNowait(size);
    }

    /**
     * ext4_read_block_bitmap_nowait() calls ext4_read_bh_nowait(), which jumps to submit_bh(): the
     * chain of jumps ends in submit_bio_noacct_nocheck(), for the dm-crypt device.
     */
    @Linux("ext4_read_block_bitmap_nowait")
    @Frame(bytes = 96, locals = 16, align = 8)
    static int ext4ReadBlockBitmapNowait(int size) {
        return Block.submitBioNoacctNocheck(Block.CRYPT, size, false);
    }
}

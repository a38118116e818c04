package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;

/**
 * Evicting an inode from the shrinker: truncate, free its blocks, load the block bitmap. Every
 * frame here is below the default threshold of 100 bytes.
 */
final class Ext4Evict {

    private Ext4Evict() {
    }

    @Frame(bytes = 96)
    static int ext4EvictInode(int size) {
        return ext4Truncate(size);
    }

    @Frame(bytes = 64)
    static int ext4Truncate(int size) {
        return ext4ExtTruncate(size);
    }

    @Frame(bytes = 48)
    static int ext4ExtTruncate(int size) {
        return ext4ExtRemoveSpace(size);
    }

    @Frame(bytes = 96)
    static int ext4ExtRemoveSpace(int size) {
        return ext4ExtRmLeaf(size);
    }

    @Frame(bytes = 96)
    static int ext4ExtRmLeaf(int size) {
        return ext4FreeBlocks(size);
    }

    @Frame(bytes = 96)
    static int ext4FreeBlocks(int size) {
        return ext4MbClearBb(size);
    }

    @Frame(bytes = 96)
    static int ext4MbClearBb(int size) {
        return ext4MbLoadBuddy(size);
    }

    @Frame(bytes = 80)
    static int ext4MbLoadBuddy(int size) {
        return ext4MbLoadBuddyGfp(size);
    }

    @Frame(bytes = 96)
    static int ext4MbLoadBuddyGfp(int size) {
        return ext4MbGetBuddyPageLock(size);
    }

    @Frame(bytes = 64)
    static int ext4MbGetBuddyPageLock(int size) {
        return ext4MbInitGroup(size);
    }

    @Frame(bytes = 64)
    static int ext4MbInitGroup(int size) {
        return ext4MbInitCache(size);
    }

    @Frame(bytes = 96)
    static int ext4MbInitCache(int size) {
        return ext4ReadBlockBitmap(size);
    }

    @Frame(bytes = 48)
    static int ext4ReadBlockBitmap(int size) {
        return ext4ReadBlockBitmapNowait(size);
    }

    @Frame(bytes = 80)
    static int ext4ReadBlockBitmapNowait(int size) {
        return ext4ReadBhNowait(size);
    }

    @Frame(bytes = 48)
    static int ext4ReadBhNowait(int size) {
        return submitBh(size);
    }

    @Frame(bytes = 48)
    static int submitBh(int size) {
        return Storage.submitToCryptDevice(size);
    }
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.ExpandStack;
import io.dynstack.annotation.Frame;

/**
 * Memory allocation and direct reclaim. Reclaim can start from almost any allocation and runs a
 * long chain of small functions down to writeback, which is why a threshold check is not enough
 * there and why try_to_free_pages() is the classic place for expand_stack().
 */
public final class Mm {

    private Mm() {
    }

    @Frame(bytes = 48)
    static int kmemCacheAlloc(int size, boolean lowMemory) {
        return slabAlloc(size, lowMemory);
    }

    @Frame(bytes = 64)
    static int slabAlloc(int size, boolean lowMemory) {
        return newSlab(size, lowMemory);
    }

    @Frame(bytes = 96)
    static int newSlab(int size, boolean lowMemory) {
        return allocSlabPage(size, lowMemory);
    }

    @Frame(bytes = 64)
    static int allocSlabPage(int size, boolean lowMemory) {
        return allocPages(size, lowMemory);
    }

    @Frame(bytes = 96)
    static int allocPages(int size, boolean lowMemory) {
        return lowMemory ? allocPagesSlowpath(size) : getPageFromFreelist(size);
    }

    @Frame(bytes = 144)
    static int getPageFromFreelist(int size) {
        return rmqueue(size);
    }

    @Frame(bytes = 48)
    static int rmqueue(int size) {
        return size;
    }

    @Frame(bytes = 160)
    static int allocPagesSlowpath(int size) {
        return allocPagesDirectReclaim(size);
    }

    @Frame(bytes = 48)
    static int allocPagesDirectReclaim(int size) {
        return performReclaim(size);
    }

    @Frame(bytes = 48)
    static int performReclaim(int size) {
        return tryToFreePages(size);
    }

    /** try_to_free_pages(): struct scan_control on the stack; maps what reclaim needs up front. */
    @ExpandStack(bytes = 8192)
    @Frame(bytes = 144)
    static int tryToFreePages(int size) {
        return doTryToFreePages(size);
    }

    @Frame(bytes = 64)
    static int doTryToFreePages(int size) {
        return shrinkZones(size);
    }

    @Frame(bytes = 64)
    static int shrinkZones(int size) {
        return shrinkNode(size);
    }

    @Frame(bytes = 80)
    static int shrinkNode(int size) {
        return shrinkSlab(size) + shrinkNodeMemcgs(size);
    }

    @Frame(bytes = 48)
    static int shrinkSlab(int size) {
        return doShrinkSlab(size);
    }

    @Frame(bytes = 64)
    static int doShrinkSlab(int size) {
        return superCacheScan(size);
    }

    @Frame(bytes = 80)
    static int superCacheScan(int size) {
        return pruneIcacheSb(size);
    }

    @Frame(bytes = 48)
    static int pruneIcacheSb(int size) {
        return disposeList(size);
    }

    @Frame(bytes = 32)
    static int disposeList(int size) {
        return evict(size);
    }

    @Frame(bytes = 48)
    static int evict(int size) {
        return Ext4Evict.ext4EvictInode(size);
    }

    @Frame(bytes = 48)
    static int shrinkNodeMemcgs(int size) {
        return shrinkLruvec(size);
    }

    @Frame(bytes = 96)
    static int shrinkLruvec(int size) {
        return shrinkList(size);
    }

    @Frame(bytes = 32)
    static int shrinkList(int size) {
        return shrinkInactiveList(size);
    }

    @Frame(bytes = 80)
    static int shrinkInactiveList(int size) {
        return shrinkFolioList(size);
    }

    @Frame(bytes = 96)
    static int shrinkFolioList(int size) {
        return pageout(size);
    }

    @Frame(bytes = 80)
    static int pageout(int size) {
        return swapWritepage(size);
    }

    @Frame(bytes = 64)
    static int swapWritepage(int size) {
        return swapWritepageBdevAsync(size);
    }

    @Frame(bytes = 96)
    static int swapWritepageBdevAsync(int size) {
        return Storage.submitToCryptDevice(size);
    }
}

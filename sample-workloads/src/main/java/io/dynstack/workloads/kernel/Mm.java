package io.dynstack.workloads.kernel;

import io.dynstack.annotation.ExpandStack;
import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Linux;

/**
 * Memory allocation and direct reclaim. Reclaim can start from almost any allocation and runs a
 * long chain down to the shrinkers and writeback, which is why try_to_free_pages() is the classic
 * place for expand_stack(). slab_alloc_node(), new_slab(), alloc_slab_page(), rmqueue(),
 * __alloc_pages_direct_reclaim(), __perform_reclaim(), shrink_zones(), shrink_node_memcgs(),
 * shrink_list() and shrink_inactive_list() are inlined into their callers in 6.12: their frames
 * are part of the caller's.
 */
public final class Mm {

    private Mm() {
    }

    @Linux("kmem_cache_alloc_noprof")
    @Frame(bytes = 72, locals = 16, align = 8)
    static int kmemCacheAlloc(int size, boolean lowMemory) {
        return slabAlloc(size, lowMemory);
    }

    /** ___slab_alloc(): the slow path, when the CPU's slab has no free object. */
    @Linux("___slab_alloc")
    @Frame(bytes = 232, locals = 176, align = 8)
    static int slabAlloc(int size, boolean lowMemory) {
        return allocateSlab(size, lowMemory);
    }

    @Linux("allocate_slab")
    @Frame(bytes = 88, locals = 32, align = 8)
    static int allocateSlab(int size, boolean lowMemory) {
        return allocPages(size, lowMemory);
    }

    @Linux("__alloc_pages_noprof")
    @Frame(bytes = 96, locals = 48, align = 8)
    static int allocPages(int size, boolean lowMemory) {
        return lowMemory ? allocPagesSlowpath(size) : getPageFromFreelist(size);
    }

    @Linux("get_page_from_freelist")
    @Frame(bytes = 272, locals = 216, align = 8)
    static int getPageFromFreelist(int size) {
        return size;
    }

    @Linux("__alloc_pages_slowpath")
    @Frame(bytes = 224, locals = 152, align = 8)
    static int allocPagesSlowpath(int size) {
        return tryToFreePages(size);
    }

    /** try_to_free_pages(): struct scan_control on the stack; maps what reclaim needs up front. */
    @ExpandStack(bytes = 8192)
    @Linux("try_to_free_pages")
    @Frame(bytes = 176, locals = 136, align = 8)
    static int tryToFreePages(int size) {
        return doTryToFreePages(size);
    }

    @Linux("do_try_to_free_pages")
    @Frame(bytes = 72, locals = 16, align = 8)
    static int doTryToFreePages(int size) {
        return shrinkNode(size);
    }

    /** shrink_node(): the LRU lists of each memory cgroup, then the slab shrinkers. */
    @Linux("shrink_node")
    @Frame(bytes = 232, locals = 176, align = 8)
    static int shrinkNode(int size) {
        return shrinkLruvec(size) + shrinkSlab(size);
    }

    @Linux("shrink_slab")
    @Frame(bytes = 144, locals = 88, align = 8)
    static int shrinkSlab(int size) {
        return doShrinkSlab(size);
    }

    /** do_shrink_slab() calls the shrinker's scan_objects method. */
    @Linux("do_shrink_slab")
    @Frame(bytes = 112, locals = 40, align = 8)
    static int doShrinkSlab(int size) {
        return superCacheScan(size);
    }

    @Linux("super_cache_scan")
    @Frame(bytes = 80, locals = 24, align = 8)
    static int superCacheScan(int size) {
        return pruneIcacheSb(size);
    }

    @Linux("prune_icache_sb")
    @Frame(bytes = 40, locals = 24, align = 8)
    static int pruneIcacheSb(int size) {
        return disposeList(size);
    }

    @Linux("dispose_list")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int disposeList(int size) {
        return evict(size);
    }

    /** evict() calls the file system's evict_inode method. */
    @Linux("evict")
    @Frame(bytes = 112, locals = 72, align = 8)
    static int evict(int size) {
        return Ext4Evict.ext4EvictInode(size);
    }

    /** shrink_lruvec(): the scan counts per LRU list on the stack. */
    @Linux("shrink_lruvec")
    @Frame(bytes = 424, locals = 352, align = 8)
    static int shrinkLruvec(int size) {
        return shrinkFolioList(size);
    }

    /** shrink_folio_list(): a folio batch and the reclaim statistics on the stack. */
    @Linux("shrink_folio_list")
    @Frame(bytes = 432, locals = 376, align = 8)
    static int shrinkFolioList(int size) {
        return pageout(size);
    }

    /** pageout(): a writeback_control on the stack; it calls the mapping's writepage method. */
    @Linux("pageout")
    @Frame(bytes = 440, locals = 392, align = 8)
    static int pageout(int size) {
        return swapWritepage(size);
    }

    /**
     * swap_writepage() calls __swap_writepage(), which ends in a jump to submit_bio(): the swap
     * device is dm-crypt.
     */
    @Linux("swap_writepage")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int swapWritepage(int size) {
        return Block.submitBioNoacctNocheck(Block.CRYPT, size, false);
    }
}

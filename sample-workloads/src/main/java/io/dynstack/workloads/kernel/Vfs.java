package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;

/** The VFS and ext4: read, buffered write (which may allocate), and path lookup for openat(). */
public final class Vfs {

    private Vfs() {
    }

    @Frame(bytes = 96)
    static int vfsRead(int count, boolean interrupt) {
        return ext4FileReadIter(count, interrupt);
    }

    @Frame(bytes = 64)
    static int ext4FileReadIter(int count, boolean interrupt) {
        return genericFileReadIter(count, interrupt);
    }

    @Frame(bytes = 48)
    static int genericFileReadIter(int count, boolean interrupt) {
        return filemapRead(count, interrupt);
    }

    /** filemap_read(): a folio batch on the stack. */
    @Frame(bytes = 288)
    static int filemapRead(int count, boolean interrupt) {
        return filemapGetPages(count, interrupt);
    }

    @Frame(bytes = 96)
    static int filemapGetPages(int count, boolean interrupt) {
        return pageCacheSyncRa(count, interrupt);
    }

    @Frame(bytes = 64)
    static int pageCacheSyncRa(int count, boolean interrupt) {
        return readPages(count, interrupt);
    }

    @Frame(bytes = 112)
    static int readPages(int count, boolean interrupt) {
        return ext4MpageReadpages(count, interrupt);
    }

    /** ext4_mpage_readpages(): block numbers of a page on the stack. */
    @Frame(bytes = 208)
    static int ext4MpageReadpages(int count, boolean interrupt) {
        return Block.submitBio(count / 512, interrupt);
    }

    /** A write through overlayfs to ext4, under memory pressure: the journal handle allocates. */
    @Frame(bytes = 96)
    static int ovlWriteIter(int count) {
        return backingFileWriteIter(count);
    }

    @Frame(bytes = 80)
    static int backingFileWriteIter(int count) {
        return vfsIterWrite(count);
    }

    @Frame(bytes = 64)
    static int vfsIterWrite(int count) {
        return doIterReadvWritev(count);
    }

    @Frame(bytes = 96)
    static int doIterReadvWritev(int count) {
        return vfsWrite(count, true);
    }

    @Frame(bytes = 96)
    static int vfsWrite(int count, boolean lowMemory) {
        return ext4BufferedWriteIter(count, lowMemory);
    }

    @Frame(bytes = 64)
    static int ext4BufferedWriteIter(int count, boolean lowMemory) {
        return genericPerformWrite(count, lowMemory);
    }

    @Frame(bytes = 128)
    static int genericPerformWrite(int count, boolean lowMemory) {
        return ext4DaWriteBegin(count, lowMemory);
    }

    @Frame(bytes = 96)
    static int ext4DaWriteBegin(int count, boolean lowMemory) {
        return ext4DaGetBlockPrep(count, lowMemory);
    }

    @Frame(bytes = 96)
    static int ext4DaGetBlockPrep(int count, boolean lowMemory) {
        return ext4DaMapBlocks(count, lowMemory);
    }

    @Frame(bytes = 128)
    static int ext4DaMapBlocks(int count, boolean lowMemory) {
        return ext4EsInsertExtent(count, lowMemory);
    }

    /** Inserting into the extent status tree allocates: kmem_cache_alloc() from here. */
    @Frame(bytes = 80)
    static int ext4EsInsertExtent(int count, boolean lowMemory) {
        return lowMemory ? ext4JournalStart(count) : Mm.kmemCacheAlloc(count, false);
    }

    @Frame(bytes = 48)
    static int ext4JournalStart(int count) {
        return jbd2JournalStart(count);
    }

    @Frame(bytes = 96)
    static int jbd2JournalStart(int count) {
        return startThisHandle(count);
    }

    /** start_this_handle(): allocating the transaction is what enters reclaim. */
    @Frame(bytes = 176)
    static int startThisHandle(int count) {
        return Mm.kmemCacheAlloc(count, true);
    }

    @Frame(bytes = 96)
    static int doFilpOpen(int coldCache) {
        return pathOpenat(coldCache);
    }

    /** path_openat(): struct nameidata lives on the stack. */
    @Frame(bytes = 224)
    static int pathOpenat(int coldCache) {
        return linkPathWalk(coldCache);
    }

    @Frame(bytes = 112)
    static int linkPathWalk(int coldCache) {
        return walkComponent(coldCache);
    }

    @Frame(bytes = 64)
    static int walkComponent(int coldCache) {
        return coldCache != 0 ? lookupSlow(coldCache) : lookupFast();
    }

    @Frame(bytes = 80)
    static int lookupFast() {
        return 1;
    }

    @Frame(bytes = 64)
    static int lookupSlow(int coldCache) {
        return ext4Lookup(coldCache);
    }

    @Frame(bytes = 96)
    static int ext4Lookup(int coldCache) {
        return ext4FindEntry(coldCache);
    }

    @Frame(bytes = 160)
    static int ext4FindEntry(int coldCache) {
        return ext4DxFindEntry(coldCache);
    }

    /** ext4_dx_find_entry(): the htree path frames on the stack. */
    @Frame(bytes = 304)
    static int ext4DxFindEntry(int coldCache) {
        return ext4Bread(coldCache);
    }

    @Frame(bytes = 64)
    static int ext4Bread(int coldCache) {
        return ext4GetBlock(coldCache);
    }

    @Frame(bytes = 128)
    static int ext4GetBlock(int coldCache) {
        return ext4MapBlocks(coldCache);
    }

    @Frame(bytes = 144)
    static int ext4MapBlocks(int coldCache) {
        return ext4ExtMapBlocks(coldCache);
    }

    /** ext4_ext_map_blocks(): an extent path and a new extent on the stack. */
    @Frame(bytes = 256)
    static int ext4ExtMapBlocks(int coldCache) {
        return ext4FindExtent(coldCache);
    }

    @Frame(bytes = 96)
    static int ext4FindExtent(int coldCache) {
        return readExtentTreeBlock(coldCache);
    }

    @Frame(bytes = 80)
    static int readExtentTreeBlock(int coldCache) {
        return bhSubmit(coldCache);
    }

    /** The interrupts workload lets the device's completion arrive here ({@code coldCache == 2}). */
    @Frame(bytes = 64)
    static int bhSubmit(int coldCache) {
        return Block.submitBio(8, coldCache == 2);
    }
}

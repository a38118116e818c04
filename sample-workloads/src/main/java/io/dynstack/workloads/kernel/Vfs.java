package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Linux;

/**
 * The VFS and ext4: read, buffered write (which allocates, and through overlayfs may reclaim), the
 * stacked direct write, and path lookup for openat(). File operations (read_iter, write_iter,
 * lookup, readahead, write_begin, get_block) are indirect calls in the kernel: the data file shows
 * no edge for them, and the methods here call the function the file system would.
 */
public final class Vfs {

    /** The file written: on ext4, on overlayfs over ext4 with no free memory, or on stacked devices. */
    static final int EXT4 = 0;
    static final int OVERLAY_LOW_MEMORY = 1;
    static final int STACKED = 2;

    private Vfs() {
    }

    /**
     * vfs_read() calls ext4_file_read_iter(), which jumps to generic_file_read_iter(), which jumps
     * to filemap_read(): their frames are gone by then, so filemap_read() sits right below.
     */
    @Linux("vfs_read")
    @Frame(bytes = 160, locals = 96, align = 8)
    static int vfsRead(int count) {
        return filemapRead(count);
    }

    /** filemap_read(): a folio batch on the stack. */
    @Linux("filemap_read")
    @Frame(bytes = 392, locals = 336, align = 8)
    static int filemapRead(int count) {
        return filemapGetPages(count);
    }

    /** filemap_get_pages() calls page_cache_sync_ra(), which ends in a jump to the readahead below. */
    @Linux("filemap_get_pages")
    @Frame(bytes = 216, locals = 160, align = 8)
    static int filemapGetPages(int count) {
        return pageCacheRaUnbounded(count);
    }

    /**
     * page_cache_ra_unbounded(): where page_cache_sync_ra() (through page_cache_ra_order(), for a
     * file without large folios, as ext4's in 6.12) jumps to.
     */
    @Linux("page_cache_ra_unbounded")
    @Frame(bytes = 120, locals = 64, align = 8)
    static int pageCacheRaUnbounded(int count) {
        return readPages(count);
    }

    /** read_pages() calls the readahead method, ext4_readahead(), which jumps to ext4_mpage_readpages(). */
    @Linux("read_pages")
    @Frame(bytes = 136, locals = 96, align = 8)
    static int readPages(int count) {
        return ext4MpageReadpages(count);
    }

    /** ext4_mpage_readpages(): block numbers of a page on the stack. */
    @Linux("ext4_mpage_readpages")
    @Frame(bytes = 184, locals = 128, align = 8)
    static int ext4MpageReadpages(int count) {
        return Block.submitBioNoacctNocheck(Block.NVME, count / 512, false);
    }

    @Linux("vfs_write")
    @Frame(bytes = 160, locals = 96, align = 8)
    static int vfsWrite(int file, int count) {
        return switch (file) {
            case EXT4 -> ext4BufferedWriteIter(count, false);
            case OVERLAY_LOW_MEMORY -> ovlWriteIter(count);
            default -> Storage.ext4FileWriteIter(count);
        };
    }

    /** A write through overlayfs to ext4, under memory pressure: the journal handle allocates. */
    @Linux("ovl_write_iter")
    @Frame(bytes = 112, locals = 56, align = 8)
    static int ovlWriteIter(int count) {
        return backingFileWriteIter(count);
    }

    @Linux("backing_file_write_iter")
    @Frame(bytes = 72, locals = 16, align = 8)
    static int backingFileWriteIter(int count) {
        return vfsIterWrite(count);
    }

    @Linux("vfs_iter_write")
    @Frame(bytes = 56, locals = 0, align = 8)
    static int vfsIterWrite(int count) {
        return doIterReadvWritev(count);
    }

    @Linux("do_iter_readv_writev")
    @Frame(bytes = 80, locals = 56, align = 8)
    static int doIterReadvWritev(int count) {
        return ext4BufferedWriteIter(count, true);
    }

    /**
     * ext4_file_write_iter() jumps here for a buffered write: its frame is gone. Updating the file's
     * times first dirties the inode, which starts a journal handle; then the pages are written.
     */
    @Linux("ext4_buffered_write_iter")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int ext4BufferedWriteIter(int count, boolean lowMemory) {
        return fileModified(count, lowMemory) + genericPerformWrite(count);
    }

    @Linux("file_modified")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int fileModified(int count, boolean lowMemory) {
        return genericUpdateTime(count, lowMemory);
    }

    @Linux("generic_update_time")
    @Frame(bytes = 24, locals = 0, align = 8)
    static int genericUpdateTime(int count, boolean lowMemory) {
        return markInodeDirty(count, lowMemory);
    }

    /** __mark_inode_dirty() calls the file system's dirty_inode method. */
    @Linux("__mark_inode_dirty")
    @Frame(bytes = 56, locals = 0, align = 8)
    static int markInodeDirty(int count, boolean lowMemory) {
        return ext4DirtyInode(count, lowMemory);
    }

    /** ext4_dirty_inode() calls __ext4_journal_start_sb(), which jumps to jbd2__journal_start(). */
    @Linux("ext4_dirty_inode")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int ext4DirtyInode(int count, boolean lowMemory) {
        return jbd2JournalStart(count, lowMemory);
    }

    @Linux("jbd2__journal_start")
    @Frame(bytes = 64, locals = 8, align = 8)
    static int jbd2JournalStart(int count, boolean lowMemory) {
        return startThisHandle(count, lowMemory);
    }

    /** start_this_handle(): allocating the transaction is what enters reclaim when memory is short. */
    @Linux("start_this_handle")
    @Frame(bytes = 136, locals = 80, align = 8)
    static int startThisHandle(int count, boolean lowMemory) {
        return Mm.kmemCacheAlloc(count, lowMemory);
    }

    /** generic_perform_write() calls the write_begin method. */
    @Linux("generic_perform_write")
    @Frame(bytes = 128, locals = 64, align = 8)
    static int genericPerformWrite(int count) {
        return ext4DaWriteBegin(count);
    }

    @Linux("ext4_da_write_begin")
    @Frame(bytes = 96, locals = 40, align = 8)
    static int ext4DaWriteBegin(int count) {
        return ext4BlockWriteBegin(count);
    }

    /** ext4_block_write_begin() maps each buffer through the get_block function it was given. */
    @Linux("ext4_block_write_begin")
    @Frame(bytes = 160, locals = 104, align = 8)
    static int ext4BlockWriteBegin(int count) {
        return ext4DaGetBlockPrep(count);
    }

    /** ext4_da_get_block_prep(): ext4_da_map_blocks() is inlined into it in 6.12. */
    @Linux("ext4_da_get_block_prep")
    @Frame(bytes = 144, locals = 88, align = 8)
    static int ext4DaGetBlockPrep(int count) {
        return ext4EsInsertDelayedExtent(count);
    }

    /** Inserting into the extent status tree allocates: kmem_cache_alloc() from here. */
    @Linux("ext4_es_insert_delayed_extent")
    @Frame(bytes = 144, locals = 88, align = 8)
    static int ext4EsInsertDelayedExtent(int count) {
        return Mm.kmemCacheAlloc(count, false);
    }

    @Linux("do_filp_open")
    @Frame(bytes = 296, locals = 240, align = 8)
    static int doFilpOpen(int coldCache) {
        return pathOpenat(coldCache);
    }

    /** path_openat(): struct nameidata lives on the stack. */
    @Linux("path_openat")
    @Frame(bytes = 168, locals = 104, align = 8)
    static int pathOpenat(int coldCache) {
        return linkPathWalk(coldCache);
    }

    @Linux("link_path_walk")
    @Frame(bytes = 72, locals = 16, align = 8)
    static int linkPathWalk(int coldCache) {
        return walkComponent(coldCache);
    }

    @Linux("walk_component")
    @Frame(bytes = 48, locals = 0, align = 8)
    static int walkComponent(int coldCache) {
        return coldCache != 0 ? lookupSlow(coldCache) : lookupFast();
    }

    @Linux("lookup_fast")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int lookupFast() {
        return 1;
    }

    /** __lookup_slow() calls the directory's lookup method. */
    @Linux("__lookup_slow")
    @Frame(bytes = 88, locals = 40, align = 8)
    static int lookupSlow(int coldCache) {
        return ext4Lookup(coldCache);
    }

    @Linux("ext4_lookup")
    @Frame(bytes = 152, locals = 104, align = 8)
    static int ext4Lookup(int coldCache) {
        return ext4FindEntry(coldCache);
    }

    @Linux("__ext4_find_entry")
    @Frame(bytes = 184, locals = 120, align = 8)
    static int ext4FindEntry(int coldCache) {
        return ext4DxFindEntry(coldCache);
    }

    /** ext4_dx_find_entry(): the htree path frames on the stack. */
    @Linux("ext4_dx_find_entry")
    @Frame(bytes = 168, locals = 104, align = 8)
    static int ext4DxFindEntry(int coldCache) {
        return ext4ReadDirblock(coldCache);
    }

    @Linux("__ext4_read_dirblock")
    @Frame(bytes = 80, locals = 8, align = 8)
    static int ext4ReadDirblock(int coldCache) {
        return ext4Bread(coldCache);
    }

    @Linux("ext4_bread")
    @Frame(bytes = 16, locals = 0, align = 8)
    static int ext4Bread(int coldCache) {
        return ext4Getblk(coldCache);
    }

    @Linux("ext4_getblk")
    @Frame(bytes = 88, locals = 40, align = 8)
    static int ext4Getblk(int coldCache) {
        return ext4MapBlocks(coldCache);
    }

    @Linux("ext4_map_blocks")
    @Frame(bytes = 160, locals = 96, align = 8)
    static int ext4MapBlocks(int coldCache) {
        return ext4ExtMapBlocks(coldCache);
    }

    /** ext4_ext_map_blocks(): an extent path and a new extent on the stack. */
    @Linux("ext4_ext_map_blocks")
    @Frame(bytes = 328, locals = 248, align = 8)
    static int ext4ExtMapBlocks(int coldCache) {
        return ext4FindExtent(coldCache);
    }

    @Linux("ext4_find_extent")
    @Frame(bytes = 96, locals = 32, align = 8)
    static int ext4FindExtent(int coldCache) {
        return readExtentTreeBlock(coldCache);
    }

    @Linux("__read_extent_tree_block")
    @Frame(bytes = 80, locals = 16, align = 8)
    static int readExtentTreeBlock(int coldCache) {
        return ext4ReadBh(coldCache);
    }

    /**
     * ext4_read_bh() calls submit_bh(), which jumps to submit_bh_wbc(), which jumps to submit_bio().
     * The interrupts workload lets the device's completion arrive below ({@code coldCache == 2}).
     */
    @Linux("ext4_read_bh")
    @Frame(bytes = 16, locals = 0, align = 8)
    static int ext4ReadBh(int coldCache) {
        return Block.submitBioNoacctNocheck(Block.NVME, 8, coldCache == 2);
    }
}

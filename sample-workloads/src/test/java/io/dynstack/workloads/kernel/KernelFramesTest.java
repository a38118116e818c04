package io.dynstack.workloads.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.linux.KernelData;
import io.dynstack.agent.linux.SnapshotCommand;
import io.dynstack.annotation.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every hand-made kernel method names the Linux function it stands for, and its modelled frame
 * is set next to that function's frame in the committed kernel data (Debian's 6.12.117 cloud
 * kernel): the table in {@code sample-workloads/KERNEL-FRAMES.md}, which this test writes with
 * {@code -Ddynstack.kernelFrames.write=true} and otherwise checks, so any change to a frame or a
 * name shows up there. A function the vmlinux data lacks is marked inlined (6.12 has no symbol for
 * it) or as living in a module, and the test checks that the data indeed lacks it.
 */
class KernelFramesTest {

    private static final Path TABLE = Path.of("KERNEL-FRAMES.md");
    private static final List<Class<?>> CLASSES = List.of(Syscalls.class, Sched.class, Vfs.class, Block.class,
            Ext4Evict.class, Mm.class, Net.class, Irq.class, Kthreads.class, Storage.class, Kvm.class, Chains.class);

    /** Where the Linux name comes from: a vmlinux function, an inlined one, a module's, or none. */
    private enum Source { VMLINUX, INLINED, MODULE, MODELLED }

    private record Linux(String name, Source source, String note) {
    }

    private static final Map<String, Linux> NAMES = new LinkedHashMap<>();

    private static void fn(String method, String linux) {
        NAMES.put(method, new Linux(linux, Source.VMLINUX, ""));
    }

    private static void inlined(String method, String linux) {
        NAMES.put(method, new Linux(linux, Source.INLINED, "inlined in 6.12: no symbol of its own"));
    }

    /** A module's function: priced from the module's data where the data file has that module. */
    private static void module(String method, String linux, String module) {
        NAMES.put(method, new Linux(linux, Source.MODULE, module));
    }

    private static void modelled(String method, String reason) {
        NAMES.put(method, new Linux("-", Source.MODELLED, reason));
    }

    static {
        fn("Syscalls.entrySyscall64", "entry_SYSCALL_64");
        fn("Syscalls.doSyscall64", "do_syscall_64");
        fn("Syscalls.ksysRead", "ksys_read");
        fn("Syscalls.ksysWrite", "ksys_write");
        fn("Syscalls.ksysWriteOverlay", "ksys_write");
        fn("Syscalls.sysPoll", "__x64_sys_poll");
        fn("Syscalls.doSysPoll", "do_sys_poll");
        fn("Syscalls.doSysOpenat2", "do_sys_openat2");
        fn("Syscalls.sysFutex", "__x64_sys_futex");
        fn("Syscalls.doFutex", "do_futex");
        fn("Syscalls.futexWait", "futex_wait");
        fn("Syscalls.futexWaitQueue", "futex_wait_queue");
        fn("Syscalls.sysEpollWait", "__x64_sys_epoll_wait");
        fn("Syscalls.doEpollWait", "do_epoll_wait");
        inlined("Syscalls.epPoll", "ep_poll");
        fn("Sched.schedule", "schedule");
        fn("Sched.scheduleInner", "__schedule");
        fn("Sched.contextSwitch", "__switch_to_asm");
        fn("Sched.scheduleHrtimeoutRange", "schedule_hrtimeout_range");
        fn("Vfs.vfsRead", "vfs_read");
        fn("Vfs.ext4FileReadIter", "ext4_file_read_iter");
        fn("Vfs.genericFileReadIter", "generic_file_read_iter");
        fn("Vfs.filemapRead", "filemap_read");
        fn("Vfs.filemapGetPages", "filemap_get_pages");
        fn("Vfs.pageCacheSyncRa", "page_cache_sync_ra");
        fn("Vfs.readPages", "read_pages");
        fn("Vfs.ext4MpageReadpages", "ext4_mpage_readpages");
        module("Vfs.ovlWriteIter", "ovl_write_iter", "overlay");
        fn("Vfs.backingFileWriteIter", "backing_file_write_iter");
        fn("Vfs.vfsIterWrite", "vfs_iter_write");
        fn("Vfs.doIterReadvWritev", "do_iter_readv_writev");
        fn("Vfs.vfsWrite", "vfs_write");
        fn("Vfs.ext4BufferedWriteIter", "ext4_buffered_write_iter");
        fn("Vfs.genericPerformWrite", "generic_perform_write");
        fn("Vfs.ext4DaWriteBegin", "ext4_da_write_begin");
        fn("Vfs.ext4DaGetBlockPrep", "ext4_da_get_block_prep");
        inlined("Vfs.ext4DaMapBlocks", "ext4_da_map_blocks");
        fn("Vfs.ext4EsInsertExtent", "ext4_es_insert_extent");
        fn("Vfs.ext4JournalStart", "__ext4_journal_start_sb");
        fn("Vfs.jbd2JournalStart", "jbd2_journal_start");
        fn("Vfs.startThisHandle", "start_this_handle");
        fn("Vfs.doFilpOpen", "do_filp_open");
        fn("Vfs.pathOpenat", "path_openat");
        fn("Vfs.linkPathWalk", "link_path_walk");
        fn("Vfs.walkComponent", "walk_component");
        fn("Vfs.lookupFast", "lookup_fast");
        fn("Vfs.lookupSlow", "__lookup_slow");
        fn("Vfs.ext4Lookup", "ext4_lookup");
        fn("Vfs.ext4FindEntry", "ext4_find_entry");
        fn("Vfs.ext4DxFindEntry", "ext4_dx_find_entry");
        fn("Vfs.ext4Bread", "ext4_bread");
        fn("Vfs.ext4GetBlock", "ext4_get_block");
        fn("Vfs.ext4MapBlocks", "ext4_map_blocks");
        fn("Vfs.ext4ExtMapBlocks", "ext4_ext_map_blocks");
        fn("Vfs.ext4FindExtent", "ext4_find_extent");
        fn("Vfs.readExtentTreeBlock", "__read_extent_tree_block");
        fn("Vfs.bhSubmit", "submit_bh_wbc");
        fn("Block.submitBio", "submit_bio");
        fn("Block.submitBioNoacct", "submit_bio_noacct");
        fn("Block.submitBioNoacctNocheck", "submit_bio_noacct_nocheck");
        fn("Block.blkMqSubmitBio", "blk_mq_submit_bio");
        fn("Block.blkMqTryIssueDirectly", "blk_mq_try_issue_directly");
        fn("Block.blkMqIssueDirectly", "__blk_mq_issue_directly");
        fn("Block.nvmeQueueRq", "nvme_queue_rq");
        fn("Block.nvmePrepRq", "nvme_prep_rq");
        fn("Ext4Evict.ext4EvictInode", "ext4_evict_inode");
        fn("Ext4Evict.ext4Truncate", "ext4_truncate");
        fn("Ext4Evict.ext4ExtTruncate", "ext4_ext_truncate");
        fn("Ext4Evict.ext4ExtRemoveSpace", "ext4_ext_remove_space");
        inlined("Ext4Evict.ext4ExtRmLeaf", "ext4_ext_rm_leaf");
        fn("Ext4Evict.ext4FreeBlocks", "ext4_free_blocks");
        inlined("Ext4Evict.ext4MbClearBb", "ext4_mb_clear_bb");
        inlined("Ext4Evict.ext4MbLoadBuddy", "ext4_mb_load_buddy");
        fn("Ext4Evict.ext4MbLoadBuddyGfp", "ext4_mb_load_buddy_gfp");
        inlined("Ext4Evict.ext4MbGetBuddyPageLock", "ext4_mb_get_buddy_page_lock");
        fn("Ext4Evict.ext4MbInitGroup", "ext4_mb_init_group");
        fn("Ext4Evict.ext4MbInitCache", "ext4_mb_init_cache");
        fn("Ext4Evict.ext4ReadBlockBitmap", "ext4_read_block_bitmap");
        fn("Ext4Evict.ext4ReadBlockBitmapNowait", "ext4_read_block_bitmap_nowait");
        fn("Ext4Evict.ext4ReadBhNowait", "ext4_read_bh_nowait");
        fn("Ext4Evict.submitBh", "submit_bh");
        fn("Mm.kmemCacheAlloc", "kmem_cache_alloc_noprof");
        inlined("Mm.slabAlloc", "slab_alloc_node");
        inlined("Mm.newSlab", "new_slab");
        inlined("Mm.allocSlabPage", "alloc_slab_page");
        fn("Mm.allocPages", "__alloc_pages_noprof");
        fn("Mm.getPageFromFreelist", "get_page_from_freelist");
        inlined("Mm.rmqueue", "rmqueue");
        fn("Mm.allocPagesSlowpath", "__alloc_pages_slowpath");
        inlined("Mm.allocPagesDirectReclaim", "__alloc_pages_direct_reclaim");
        inlined("Mm.performReclaim", "__perform_reclaim");
        fn("Mm.tryToFreePages", "try_to_free_pages");
        fn("Mm.doTryToFreePages", "do_try_to_free_pages");
        inlined("Mm.shrinkZones", "shrink_zones");
        fn("Mm.shrinkNode", "shrink_node");
        fn("Mm.shrinkSlab", "shrink_slab");
        fn("Mm.doShrinkSlab", "do_shrink_slab");
        fn("Mm.superCacheScan", "super_cache_scan");
        fn("Mm.pruneIcacheSb", "prune_icache_sb");
        fn("Mm.disposeList", "dispose_list");
        fn("Mm.evict", "evict");
        inlined("Mm.shrinkNodeMemcgs", "shrink_node_memcgs");
        fn("Mm.shrinkLruvec", "shrink_lruvec");
        inlined("Mm.shrinkList", "shrink_list");
        inlined("Mm.shrinkInactiveList", "shrink_inactive_list");
        fn("Mm.shrinkFolioList", "shrink_folio_list");
        fn("Mm.pageout", "pageout");
        fn("Mm.swapWritepage", "swap_writepage");
        fn("Mm.swapWritepageBdevAsync", "__swap_writepage");
        fn("Net.doPoll", "do_sys_poll");
        fn("Net.sockPoll", "sock_poll");
        fn("Net.tcpPoll", "tcp_poll");
        fn("Net.netRxAction", "net_rx_action");
        fn("Net.napiPoll", "__napi_poll");
        module("Net.virtnetPoll", "virtnet_poll", "virtio_net");
        fn("Net.napiGroReceive", "napi_gro_receive");
        fn("Net.netifReceiveSkbCore", "__netif_receive_skb_core");
        fn("Net.ipRcv", "ip_rcv");
        fn("Net.nfHookSlow", "nf_hook_slow");
        module("Net.nfConntrackIn", "nf_conntrack_in", "nf_conntrack");
        module("Net.tcpPacket", "nf_conntrack_tcp_packet", "nf_conntrack");
        fn("Net.ipLocalDeliver", "ip_local_deliver");
        fn("Net.tcpV4Rcv", "tcp_v4_rcv");
        fn("Net.tcpRcvEstablished", "tcp_rcv_established");
        fn("Net.tcpDataQueue", "tcp_data_queue");
        fn("Net.sockDefReadable", "sock_def_readable");
        fn("Net.tryToWakeUp", "try_to_wake_up");
        fn("Net.selectTaskRqFair", "select_task_rq_fair");
        fn("Irq.commonInterrupt", "common_interrupt");
        inlined("Irq.handleIrq", "handle_irq");
        fn("Irq.handleEdgeIrq", "handle_edge_irq");
        fn("Irq.nvmeIrq", "nvme_irq");
        inlined("Irq.nvmeProcessCq", "nvme_process_cq");
        fn("Irq.blkMqEndRequest", "blk_mq_end_request");
        fn("Irq.irqExitRcu", "irq_exit_rcu");
        fn("Irq.doSoftirq", "handle_softirqs");
        fn("Kthreads.retFromFork", "ret_from_fork");
        fn("Kthreads.kthread", "kthread");
        fn("Kthreads.smpbootThreadFn", "smpboot_thread_fn");
        fn("Kthreads.workerThread", "worker_thread");
        fn("Kthreads.rcuGpKthread", "rcu_gp_kthread");
        fn("Kthreads.rcuGpFqsLoop", "rcu_gp_fqs_loop");
        modelled("Kthreads.swaitEventIdleTimeout", "swait_event_idle_timeout_exclusive() is a macro: its wait sits in rcu_gp_fqs_loop's frame");
        fn("Kthreads.kjournald2", "kjournald2");
        fn("Kthreads.jbd2JournalCommitTransaction", "jbd2_journal_commit_transaction");
        fn("Kthreads.jbd2JournalWriteMetadataBuffer", "jbd2_journal_write_metadata_buffer");
        fn("Kthreads.kswapd", "kswapd");
        fn("Kthreads.balancePgdat", "balance_pgdat");
        modelled("Storage.submitToCryptDevice", "the workload's way into the dm-crypt stack, no kernel function");
        module("Storage.dmSubmitBio", "dm_submit_bio", "dm_mod");
        module("Storage.splitAndProcessBio", "dm_split_and_process_bio", "dm_mod");
        module("Storage.mapBio", "__map_bio", "dm_mod");
        module("Storage.cryptMap", "crypt_map", "dm_crypt");
        module("Storage.kcryptdCryptWriteConvert", "kcryptd_crypt_write_convert", "dm_crypt");
        module("Storage.cryptConvert", "crypt_convert", "dm_crypt");
        inlined("Storage.cryptConvertBlockSkcipher", "crypt_convert_block_skcipher");
        module("Storage.aesniXtsEncrypt", "aesni_xts_encrypt", "aesni_intel");
        module("Storage.kcryptdCryptWriteIoSubmit", "kcryptd_crypt_write_io_submit", "dm_crypt");
        fn("Storage.writeStacked", "ext4_file_write_iter");
        inlined("Storage.ext4DioWriteIter", "ext4_dio_write_iter");
        fn("Storage.iomapDioRw", "__iomap_dio_rw");
        fn("Storage.iomapDioBioIter", "iomap_dio_bio_iter");
        module("Storage.loopQueueRq", "loop_queue_rq", "loop");
        modelled("Storage.submitToLoop", "the workload's way into the next loop device, no kernel function");
        fn("Storage.loopSubmitBioNoacct", "submit_bio_noacct");
        fn("Storage.loopBlkMqSubmitBio", "blk_mq_submit_bio");
        fn("Storage.loopIssueDirectly", "__blk_mq_issue_directly");
        module("Storage.loRwAio", "lo_rw_aio", "loop");
        module("Storage.xfsFileWriteIter", "xfs_file_write_iter", "xfs");
        module("Storage.xfsDirectWriteIomapBegin", "xfs_direct_write_iomap_begin", "xfs");
        module("Storage.xfsIomapWriteDirect", "xfs_iomap_write_direct", "xfs");
        module("Storage.xfsBmapiWrite", "xfs_bmapi_write", "xfs");
        module("Storage.xfsBmapBtalloc", "xfs_bmap_btalloc", "xfs");
        module("Storage.xfsAllocAgVextentNear", "xfs_alloc_ag_vextent_near", "xfs");
        module("Storage.xfsBtreeLookup", "xfs_btree_lookup", "xfs");
        module("Storage.xfsBtreeReadBufBlock", "xfs_btree_read_buf_block", "xfs");
        module("Storage.xfsBufSubmit", "__xfs_buf_submit", "xfs");
        module("Kvm.vcpuIoctl", "kvm_vcpu_ioctl", "kvm");
        module("Kvm.vcpuRun", "kvm_arch_vcpu_ioctl_run", "kvm");
        inlined("Kvm.vcpuEnterGuest", "vcpu_enter_guest");
        module("Kvm.handleEptViolation", "handle_ept_violation", "kvm_intel");
        module("Kvm.kvmMmuPageFault", "kvm_mmu_page_fault", "kvm");
        module("Kvm.directPageFault", "direct_page_fault", "kvm");
        module("Kvm.hvaToPfn", "hva_to_pfn", "kvm");
        fn("Kvm.getUserPages", "get_user_pages");
        fn("Kvm.handleMmFault", "handle_mm_fault");
        fn("Kvm.filemapFault", "filemap_fault");
        fn("Chains.ioctl", "__x64_sys_ioctl");
        module("Chains.drmIoctl", "drm_ioctl", "drm");
        modelled("Chains.helper", "the chain-of-small-functions objection: one 48-byte helper called 100 deep, no one kernel function");
    }

    private record Row(String method, Linux linux, int modelled, KernelData.Function data) {
    }

    private static KernelData data() throws IOException {
        try (InputStream in = SnapshotCommand.class.getResourceAsStream(SnapshotCommand.DEFAULT_DATA)) {
            return KernelData.read(in, SnapshotCommand.DEFAULT_DATA);
        }
    }

    private static List<String> declaredMethods() {
        List<String> methods = new ArrayList<>();
        for (Class<?> c : CLASSES) {
            Arrays.stream(c.getDeclaredMethods())
                    .filter(m -> !m.isSynthetic() && Modifier.isStatic(m.getModifiers()))
                    .sorted(Comparator.comparing(Method::getName))
                    .forEach(m -> methods.add(c.getSimpleName() + "." + m.getName()));
        }
        return methods;
    }

    private static int modelled(String method) throws NoSuchMethodException {
        int dot = method.indexOf('.');
        Class<?> owner = CLASSES.stream().filter(c -> c.getSimpleName().equals(method.substring(0, dot))).findFirst()
                .orElseThrow();
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(method.substring(dot + 1))) {
                Frame frame = m.getAnnotation(Frame.class);
                int align = frame == null || frame.align() != 8 ? 16 : 8;
                return frame == null ? -1 : Math.max(align, (frame.bytes() + align - 1) & -align);
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Test
    void everyKernelMethodNamesItsLinuxFunctionAndTheTableIsCurrent() throws Exception {
        assertEquals(new TreeSet<>(declaredMethods()), new TreeSet<>(NAMES.keySet()),
                "every static method in workloads.kernel needs a Linux name in KernelFramesTest, and only those");
        KernelData data = data();
        Map<String, Integer> index = data.indexByName();
        java.util.Set<String> modules = new TreeSet<>();
        data.header().sources().forEach(source -> modules.add(source.substring(0, source.indexOf(' '))));
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Linux> e : NAMES.entrySet()) {
            Linux linux = e.getValue();
            KernelData.Function f = linux.source() == Source.MODELLED ? null : data.lookup(linux.name(), index);
            if (linux.source() == Source.VMLINUX) {
                assertTrue(f != null, e.getKey() + ": " + linux.name() + " has no row in " + data.header().release());
            } else if (linux.source() == Source.MODULE && modules.contains(linux.note())) {
                assertTrue(f != null && f.module().equals(linux.note()), e.getKey() + ": " + linux.name()
                        + " has no row of module " + linux.note() + " in " + data.header().release());
            } else if (linux.source() != Source.MODELLED) {
                assertEquals(null, f, e.getKey() + ": " + linux.name() + " is marked " + linux.note()
                        + ", but the data has it: mark it as a vmlinux function");
            }
            rows.add(new Row(e.getKey(), linux, modelled(e.getKey()), f));
        }
        String table = table(data, rows);
        if (Boolean.getBoolean("dynstack.kernelFrames.write")) {
            Files.writeString(TABLE, table);
        }
        assertEquals(table, Files.readString(TABLE), "KERNEL-FRAMES.md is not current: regenerate it with"
                + " ./mvnw -pl sample-workloads -am package -Dtest=KernelFramesTest -Ddynstack.kernelFrames.write=true"
                + " -Dsurefire.failIfNoSpecifiedTests=false -DskipITs");
    }

    private static String note(Row r) {
        if (r.linux().source() != Source.MODULE) {
            return r.linux().note();
        }
        return r.data() != null ? "module " + r.linux().note()
                : "in module " + r.linux().note() + ", which the data file does not have";
    }

    private static String table(KernelData data, List<Row> rows) {
        int same = 0;
        int differ = 0;
        int missing = 0;
        long modelledSum = 0;
        long realSum = 0;
        for (Row r : rows) {
            if (r.data() == null) {
                missing++;
            } else if (r.data().full() == r.modelled()) {
                same++;
            } else {
                differ++;
            }
            if (r.data() != null && r.modelled() > 0) {
                modelledSum += r.modelled();
                realSum += r.data().full();
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# The hand-made kernel's frames against a real kernel's\n\n");
        out.append("Each static method of `sample-workloads/.../kernel/`, the Linux function it stands for, its\n")
                .append("modelled frame (`@Frame`, rounded as the weaver rounds it) and that function's frame in the\n")
                .append("committed kernel data, ").append(data.header().release())
                .append(" (full: return address included; locals: STACKLEAK's\n")
                .append("`get_frame_size()`). Written and checked by `KernelFramesTest`; a real kernel binary's\n")
                .append("figures, set next to the simulation model's.\n\n");
        out.append(String.format(Locale.ROOT, "%d methods: %d with the real frame, %d with another, %d without a row in"
                + " the data (inlined, in a module it lacks, or no one function). Where both exist: %d bytes modelled, %d real.%n%n",
                rows.size(), same, differ, missing, modelledSum, realSum));
        out.append("| method | Linux function | modelled | real full | real locals | difference | note |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Row r : rows) {
            KernelData.Function f = r.data();
            String name = f == null || f.name().equals(r.linux().name()) ? r.linux().name()
                    : r.linux().name() + " (`" + f.name() + "`)";
            out.append("| `").append(r.method()).append("` | ").append(name.equals("-") ? "-" : "`" + name + "`")
                    .append(" | ").append(r.modelled() < 0 ? "model" : String.valueOf(r.modelled()))
                    .append(" | ").append(f == null ? "-" : String.valueOf(f.full()))
                    .append(" | ").append(f == null ? "-" : String.valueOf(f.locals()))
                    .append(" | ").append(f == null || r.modelled() < 0 ? "-" : String.format(Locale.ROOT, "%+d",
                            f.full() - r.modelled()))
                    .append(" | ").append(note(r)).append(" |\n");
        }
        return out.toString();
    }
}

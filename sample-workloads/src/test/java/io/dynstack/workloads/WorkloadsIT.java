package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each deterministic workload under each policy, in its own JVM under the built agent, as the
 * comparison runs it. Figures are exact: mapped KiB is read with every thread parked.
 */
class WorkloadsIT {

    private static final Path AGENT = Path.of(System.getProperty("dynstack.agent.jar"));

    static CellResult cell(String workload, String policy, Map<String, Integer> overrides) {
        Workload w = Workloads.byName(workload);
        Map<String, Integer> params = new LinkedHashMap<>(w.defaults());
        params.putAll(overrides);
        return CellRunner.run(AGENT, w, params, Policy.parse(policy, 100), 120);
    }

    /**
     * idle-boot on 8 CPUs: 15 threads per CPU and 6 more, 126 stacks, of which the two jbd2
     * threads go 5360 bytes deep through a loop-mounted journal, past the first page: fork frame
     * 176 + ret_from_fork 32 + kthread 56 + kjournald2 120 + the commit 472 = 856, the loop device's
     * block layer 104 + 128 + 144 + 56 + 56 + 80 + lo_rw_aio 144 = 1568, XFS's allocation down to
     * _xfs_buf_ioapply 2488 more = 4056, then submit_bio_noacct_nocheck (104, checked) at 4160 and
     * dm-crypt to NVMe, 5360. They park at 592 (856 - 472 + schedule 16, __schedule 120, the switch 72).
     * Checks per CPU: 6 kthreads x 2 (fork frame, __schedule), 6 futex waiters x 5 (entry,
     * __x64_sys_futex, futex_wait, __futex_wait, __schedule), 3 epoll waiters x 4 (entry,
     * do_epoll_wait, schedule_hrtimeout_range_clock, __schedule): 54, 432 on 8 CPUs; then 2 rcu
     * threads x 3, kswapd 33, 2 jbd2 threads x 36 and journald's write and epoll wait 11 + 4: 558.
     * 4 KiB pages: dynamic-fault 126 + 2 = 128 (512 KiB); expand_stack(12 KiB) in lo_rw_aio maps
     * 1568 + 12288 = 13856 bytes, four pages, on each jbd2 thread (528); +park gives 3 of them back on
     * each (24 KiB) and the 8 CPUs' reserve pages add 32 (536).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // policy                          |status|mapped KiB|peak KiB|checks|grows|faults|panics|released KiB|panic
        "fixed-16k                         |ok    |2016|2016|  0|0|0|0| 0|-",
        "fixed-8k                          |ok    |1008|1008|  0|0|0|0| 0|-",
        "4k-irq                            |panic | 536| 536|  0|0|0|2| 0|stack overflow: io.dynstack.workloads.kernel.Block.submitBioNoacctNocheck(IIZ)I (frame 104) at depth 4160 runs past THREAD_SIZE 4096 (guard page)",
        "dynamic-fault                     |ok    | 512| 512|  0|2|2|0| 0|-",
        "dynamic-check                     |ok    | 512| 512|558|2|0|0| 0|-",
        "dynamic-check+expand              |ok    | 528| 528|558|2|0|0| 0|-",
        "dynamic-check+expand+reserve+park |ok    | 536|  - |558|2|0|0|24|-",
    })
    void idleBootGivesExactFiguresUnderEachPolicy(String policy, String status, long mappedKib, Long peakKib,
                                                 long checks, long grows, long faults, long panics, long releasedKib,
                                                 String panic) {
        CellResult r = cell("idle-boot", policy.strip(), Map.of("cpus", 8));
        assertEquals(status.strip(), r.status(), r.toString());
        assertEquals(126, r.stacks());
        assertEquals(126 * 16, r.baseBytes() / 1024);
        assertEquals(mappedKib, r.mappedBytes() / 1024);
        if (peakKib != null) {
            assertEquals(peakKib, r.peakBytes() / 1024, "without release at park nothing is ever unmapped");
        }
        assertEquals(checks, r.checksExecuted());
        assertEquals(grows, r.grows());
        assertEquals(faults, r.faults());
        assertEquals(panics, r.panics());
        assertEquals(releasedKib, r.releasedBytes() / 1024);
        assertEquals(panic, r.panic());
    }

    /**
     * small-frame-chain: entry 176 + do_syscall_64 48 + __x64_sys_ioctl 48, then the 208-byte checked
     * handler at depth 480, then 100 helpers of 48 bytes: the 76th reaches 480 + 76 x 48 = 4128 with
     * no check since the handler. Checks per thread: the read before it 11 (entry, vfs_read,
     * filemap_read, filemap_get_pages, page_cache_ra_unbounded, read_pages, ext4_mpage_readpages,
     * submit_bio_noacct_nocheck, __submit_bio, blk_mq_submit_bio, nvme_prep_rq), then entry and
     * the handler: 13, 52 on 4 threads.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "fixed-16k                         |ok    |64|64| 0|0|0|0",
        "fixed-8k                          |ok    |32|32| 0|0|0|0",
        "4k-irq                            |panic |32|32| 0|0|0|4",
        "dynamic-fault                     |ok    |32|32| 0|4|4|0",
        "dynamic-check                     |panic |16|16|52|0|0|4",
        "dynamic-check+expand              |panic |16|16|52|0|0|4",
        "dynamic-check+expand+reserve+park |panic |32|32|52|0|0|4",
    })
    void smallFrameChainFaultsUnderChecksWhateverElseIsOn(String policy, String status, long mappedKib, long peakKib,
                                                          long checks, long grows, long faults, long panics) {
        CellResult r = cell("small-frame-chain", policy.strip(), Map.of());
        assertEquals(status.strip(), r.status(), r.toString());
        assertEquals(4, r.stacks());
        assertEquals(mappedKib, r.mappedBytes() / 1024);
        assertEquals(peakKib, r.peakBytes() / 1024);
        assertEquals(checks, r.checksExecuted());
        assertEquals(grows, r.grows());
        assertEquals(faults, r.faults());
        assertEquals(panics, r.panics());
        if (policy.strip().startsWith("dynamic-check")) {
            assertEquals("double fault: io.dynstack.workloads.kernel.Chains.helper(I)I (frame 48) at depth 4128 runs "
                    + "below the 4096 mapped bytes, with no check to grow the stack (fault=panic)", r.panic());
        }
    }

    /**
     * Direct reclaim on the real kernel's frames: the LRU side goes first, pageout (440) ends at
     * 3640, swap_writepage 32, then the bio to dm-crypt: submit_bio_noacct_nocheck 104 and
     * __submit_bio 128 (checked) to 3904, dm_submit_bio 64, dm_split_and_process_bio 112 (checked,
     * its frame ends at 4080), and __map_bio (64, below the threshold) reaches 4144, past the first
     * page with no check since: a double fault under checks alone. __map_bio and the other dm-mod
     * frames are modelled (the data file has no dm-mod). expand_stack(8 KiB) in try_to_free_pages,
     * whose frame ends at 2040, maps 2040 + 8192 = 10232 bytes first: three pages each.
     */
    @org.junit.jupiter.api.Test
    void directReclaimIsSafeOnlyWithExpandStack() {
        CellResult unprepared = cell("direct-reclaim", "dynamic-check", Map.of());
        assertEquals("panic", unprepared.status());
        assertEquals("double fault: io.dynstack.workloads.kernel.Storage.mapBio(I)I (frame 64) at depth 4144 runs"
                + " below the 4096 mapped bytes, with no check to grow the stack (fault=panic)", unprepared.panic());
        assertEquals(4 * (99 * 11 + 14), unprepared.checksExecuted(), "99 writes of 11 checks, then 14 on the way"
                + " to the fault: entry, vfs_write, ovl_write_iter, start_this_handle, ___slab_alloc,"
                + " __alloc_pages_slowpath, try_to_free_pages, shrink_node, shrink_lruvec, shrink_folio_list, pageout,"
                + " submit_bio_noacct_nocheck, __submit_bio, dm_split_and_process_bio");
        CellResult expanded = cell("direct-reclaim", "dynamic-check+expand", Map.of());
        assertEquals("ok", expanded.status());
        assertNull(expanded.panic());
        assertEquals(48, expanded.mappedBytes() / 1024, "8 KiB pre-mapped below try_to_free_pages: 3 pages each");
        assertEquals(5328, expanded.maxDepthBytes(), "the shrinker side: kcryptd_crypt_write_convert at 4576, then"
                + " the encrypted bio's 752 bytes to nvme_prep_rq");
    }

    /**
     * interrupts: the cold-cache open reaches nvme_prep_rq at 3040, the interrupt's pt_regs and
     * handlers and the NET_RX softirq go on from there (net_rx_action 256 at 3608), and ip_list_rcv
     * (96, below the 100 threshold) crosses into the second page at 4024 + 96 = 4120: a fault in
     * no-sleep code, which only a reserve page can serve.
     */
    @org.junit.jupiter.api.Test
    void reservesDepleteInInterruptsAndRefillAfterwards() {
        CellResult empty = cell("interrupts", "dynamic-fault+reserve=0", Map.of());
        assertEquals("panic", empty.status());
        assertEquals("no memory for stack growth in atomic context: io.dynstack.workloads.kernel.Net.ipListRcv()V "
                + "(frame 96) at depth 4120 needs 1 page(s) and the reserve of CPU 0 is empty", empty.panic());
        CellResult one = cell("interrupts", "dynamic-fault+reserve=1", Map.of());
        assertEquals("ok", one.status());
        assertEquals(4, one.reservePagesTaken(), "each CPU's first interrupt past the first page takes its page");
        assertEquals(4, one.reserveRefills(), "and the reserve is topped up when the softirq is done");
        assertEquals(32 + 16, one.mappedBytes() / 1024, "two pages per task and one refilled page per CPU");
    }

    @org.junit.jupiter.api.Test
    void releaseAtParkReturnsThePagesBelowSp() {
        CellResult kept = cell("direct-reclaim", "dynamic-check+expand", Map.of());
        CellResult released = cell("direct-reclaim", "dynamic-check+expand+park", Map.of());
        assertEquals(0, kept.releasedBytes());
        assertEquals(4 * 8, released.releasedBytes() / 1024, "each writer had 3 pages and parks needing 1");
        assertEquals(16, released.mappedBytes() / 1024);
        assertEquals(48, kept.mappedBytes() / 1024);
    }

    /**
     * direct-reclaim under the 2026 thread's designs: four writers, one per CPU, each 5328 bytes deep
     * in reclaim twice (the top two pages touched), each parked at last in futex wait at depth 960
     * (the top page: entry 176, do_syscall_64 48, __x64_sys_futex 120, do_futex 32, futex_wait 144,
     * __futex_wait 192, futex_wait_queue 40, schedule 16, __schedule 120, the switch 72). Released and kept are 16 KiB and 256 bytes per futex sleeper that gives its stack
     * back; a writer's 201 system calls are 200 kernel entries after the one that created its stack.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // policy      |mapped KiB|grows|faults|released KiB|in use|kept KiB|wake|entry|switch-in|pages|shootdowns|spare|stash
        "release-idle    |  1|0|0|64|0|1|4|  0|0|0|0|0|0",
        "multiplex       |  1|0|0|64|0|1|4|800|0|0|0|0|0",
        "hansen-switch   | 32|0|0| 0|4|0|0|  0|4|8|4|0|0",
        "hansen-shrinker | 32|0|0| 0|4|0|0|  0|4|8|1|0|0",
        "8k+expand       | 48|4|0| 0|4|0|0|  0|0|0|0|0|0",
        "rfc-spares      |112|4|4| 0|4|0|0|  0|0|0|0|4|0",
    })
    void directReclaimGivesExactFiguresUnderEachDesignOfThe2026Thread(String policy, long mappedKib, long grows,
            long faults, long releasedKib, long inUse, long keptKib, long wakes, long entries, long switchIns,
            long switchInPages, long shootdowns, long sparePages, long stashPages) {
        CellResult r = cell("direct-reclaim", policy.strip(), Map.of());
        assertEquals("ok", r.status(), r.toString());
        assertEquals(4, r.stacks());
        assertEquals(mappedKib, r.mappedBytes() / 1024, "hansen: two touched pages each; 8k+expand: expand_stack(8192)"
                + " below try_to_free_pages maps a third; rfc-spares: 32 KiB of stacks, 3 refilled spares on each of"
                + " 4 CPUs and the stash's 8 pages");
        assertEquals(grows, r.grows());
        assertEquals(faults, r.faults());
        assertEquals(0, r.panics());
        assertEquals(releasedKib, r.releasedBytes() / 1024);
        assertEquals(inUse, r.cost("stacks_in_use"));
        assertEquals(keptKib, r.cost("kept_bytes") / 1024);
        assertEquals(wakes, r.cost("wake_allocations"));
        assertEquals(wakes * 4, r.cost("wake_pages"), "a wake takes all 16 KiB");
        assertEquals(entries, r.cost("entry_allocations"));
        assertEquals(switchIns, r.cost("switch_in_allocations"));
        assertEquals(switchInPages, r.cost("switch_in_pages"), "the two untouched pages of each writer");
        assertEquals(shootdowns, r.cost("shootdowns"), "one per switch out, or one for the shrinker's pass");
        assertEquals(sparePages, r.cost("spare_pages_taken"));
        assertEquals(stashPages, r.cost("stash_pages_taken"));
        assertEquals(0, r.cost("stalls"));
    }

    /** With no free page once the stacks exist, each design fails its own way: a result, not a crash. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // workload   |policy                                     |status|stalls|refill failures|panic
        "direct-reclaim|dynamic-fault+pressure                    |ok    |  4|  0|-",
        "direct-reclaim|release-idle+pressure                     |ok    |  4|  0|-",
        "direct-reclaim|multiplex+pressure                        |ok    |804|  0|-",
        "direct-reclaim|hansen-switch+pressure                    |ok    |  4|  0|-",
        "direct-reclaim|rfc-spares+pressure                       |ok    |  0|  4|-",
        "interrupts    |dynamic-fault+reserve+pressure            |ok    |  0|400|-",
        "interrupts    |dynamic-fault+pressure                    |panic |  0|  0|no memory for stack growth in atomic context: io.dynstack.workloads.kernel.Net.ipListRcv()V (frame 96) at depth 4120 needs 1 page(s) and the machine has no free page",
        "interrupts    |dynamic-check+pressure                    |panic |  0|  0|double fault: io.dynstack.workloads.kernel.Net.ipListRcv()V (frame 96) at depth 4120 runs below the 4096 mapped bytes, with no check to grow the stack (fault=panic)",
    })
    void eachDesignShowsItsOwnFailureWhenMemoryRunsOut(String workload, String policy, String status, long stalls,
                                                       long refillFailures, String panic) {
        CellResult r = cell(workload.strip(), policy.strip(), Map.of());
        assertEquals(status.strip(), r.status(), r.toString());
        assertEquals(stalls, r.cost("stalls"), "fault-time growth, wakes, kernel entries and switch-ins wait for memory");
        assertEquals(refillFailures, r.cost("refill_failures"), "a refill after each growth, or after each softirq");
        assertEquals(panic, r.panic());
    }

    /**
     * android as its assumptions state: 8 x 6 per-CPU kthreads and 100 unbound ones, 2,500 system and
     * 1,200 app threads; of those 3,700, 925 wait in binder, 925 in epoll and 1,850 on a futex, and
     * 1,110 (30 in each 100) went 5.2 KiB deep through direct reclaim first.
     */
    @org.junit.jupiter.api.Test
    void androidIsTheDeviceItsAssumptionsDescribe() {
        CellResult fault = cell("android", "dynamic-fault", Map.of());
        assertEquals(3848, fault.stacks());
        assertEquals(3848 * 16, fault.baseBytes() / 1024);
        assertEquals(4096L << 20, fault.deviceBytes());
        assertEquals(1110, fault.faults(), "one fault per deep thread");
        assertEquals((3848 + 1110) * 4, fault.mappedBytes() / 1024);
        CellResult multiplex = cell("android", "multiplex", Map.of());
        assertEquals(148 + 925 + 925, multiplex.cost("stacks_in_use"), "kthreads, binder and epoll sleepers");
        assertEquals(1850 * 256, multiplex.cost("kept_bytes"));
        assertEquals(1110, multiplex.cost("entry_allocations"), "the wait after a deep write is a second entry");
        CellResult release = cell("android", "release-idle", Map.of());
        assertEquals(148 + 925, release.cost("stacks_in_use"), "kthreads and binder sleepers");
        assertEquals((148 + 925) * 16 * 1024 + 2775 * 256, release.mappedBytes());
    }
}

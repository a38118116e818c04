package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The static analysis of the workloads' kernel, through the built agent jar: {@code analyze}
 * reports the chains that fault under {@code dynamic-check} exactly as the oops shows them, and
 * {@code guarantee=1024} runs the same workloads under {@code fault=panic} with no fault.
 */
class AnalyzeWorkloadsIT {

    private static final Path AGENT = Path.of(System.getProperty("dynstack.agent.jar"));
    private static final String KERNEL = "io.dynstack.workloads.kernel.";
    private static final String DYNAMIC_CHECK = "threshold=100,fault=panic,expand=false";
    /** One frame as the analysis and the oops print it: two numbers and a method. */
    private static final Pattern FRAME = Pattern.compile("^\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)$");

    private static String analysis;

    record Frame(String method, int frameSize, int total) {
    }

    @BeforeAll
    static void analyse() throws IOException, InterruptedException {
        Run run = java("-jar", AGENT.toString(), "analyze", AgentJar.classes().toString(),
                "--kernel", CellRunner.KERNEL_GLOB);
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stderr());
        analysis = run.stdout();
    }

    @Test
    void smallFrameChainIsTheRecursionWithNoCheckAndFaultsInIt() throws IOException, InterruptedException {
        assertTrue(analysis.contains("""
                unchecked-chain bound, with the checks the threshold places:
                  unbounded: recursion with no check on the cycle can take any depth
                    cycle, 48 bytes per turn:
                         48  KChains.helper(I)I
                             KChains.helper(I)I (again)
                """.replace("K", KERNEL)), analysis);

        List<Frame> oops = oops("small-frame-chain");
        assertEquals(KERNEL + "Chains.helper(I)I", oops.get(0).method(), "the fault is in the recursion");
        int handler = indexOf(oops, KERNEL + "Chains.drmIoctl(I)I");
        assertEquals(76, handler, "76 helpers below the checked handler reach the second page");
        assertTrue(oops.subList(0, handler).stream().allMatch(f -> f.method().equals(KERNEL + "Chains.helper(I)I")));
    }

    /**
     * Outside the helper's recursion the longest run of frames under 100 bytes is the overlay write's,
     * from the check in ovl_write_iter (112) to jbd2__journal_start: backing_file_write_iter 72,
     * vfs_iter_write 56, do_iter_readv_writev 80, ext4_buffered_write_iter 40, file_modified 40,
     * generic_update_time 24, __mark_inode_dirty 56, ext4_dirty_inode 32, jbd2__journal_start 64:
     * 464 bytes, after which start_this_handle (136) is checked again.
     */
    @Test
    void theLongestChainOutsideTheRecursionIsTheOverlayWritesWayToTheJournal() {
        String start = KERNEL + "Vfs.ovlWriteIter(I)I";
        assertTrue(analysis.contains("  outside the recursion, the longest chain: 464 bytes, from the check in "
                + start + " (frame 112, covered by the check)\n"), analysis);
        List<Frame> reported = chainAfter(analysis, start + "  [check: maps frame + margin]");
        assertEquals(List.of(72, 128, 208, 248, 288, 312, 368, 400, 464), reported.stream().map(Frame::total).toList());
        assertEquals(KERNEL + "Vfs.jbd2JournalStart(IZ)I", reported.get(reported.size() - 1).method());
    }

    /**
     * interrupts faults under dynamic-check on a real chain of the receive path: the check in
     * __netif_receive_skb_list_core (128) maps its own frame, down to 4024, and the unchecked
     * ip_list_rcv (96) below it reaches 4120, past the first page: a run of one frame from the
     * check, within the analysis's bound.
     */
    @Test
    void interruptsFaultOnTheUncheckedFrameRightBelowACheck() throws IOException, InterruptedException {
        List<Frame> oops = oops("interrupts");
        assertEquals(new Frame(KERNEL + "Net.ipListRcv()V", 96, 4120), oops.get(0));
        assertEquals(new Frame(KERNEL + "Net.netifReceiveSkbListCore()V", 128, 4024), oops.get(1));
        assertTrue(analysis.contains("    128      72  threshold  " + KERNEL + "Net.netifReceiveSkbListCore()V\n"), analysis);
        assertTrue(analysis.contains("     96      40             " + KERNEL + "Net.ipListRcv()V\n"), analysis);
    }

    @Test
    void guaranteeRunsSmallFrameChainUnderPanicWithNoFault() {
        CellResult guaranteed = guaranteed("small-frame-chain");
        assertEquals("ok", guaranteed.status(), guaranteed.toString());
        assertNull(guaranteed.panic());
        assertEquals(0, guaranteed.faults());
        assertEquals(0, guaranteed.panics());
        assertEquals(4 * (13 + 100 + 5), guaranteed.checksExecuted(), "dynamic-check's 13 before the helpers, the"
                + " helper's placed check 100 times, then the futex wait's 5, per thread");
        assertEquals(4, guaranteed.grows(), "each thread's second page, mapped by a check");
        assertEquals(32, guaranteed.mappedBytes() / 1024);
        assertEquals(fullyMapped("small-frame-chain").maxDepthBytes(), guaranteed.maxDepthBytes(),
                "the whole chain ran, as deep as on fixed stacks");
    }

    @Test
    void guaranteeRunsDirectReclaimUnderPanicWithNoFaultAndNoExpandStack() {
        CellResult guaranteed = guaranteed("direct-reclaim");
        assertEquals("ok", guaranteed.status(), guaranteed.toString());
        assertNull(guaranteed.panic());
        assertEquals(0, guaranteed.faults());
        assertEquals(0, guaranteed.panics());
        assertEquals(WorkloadsIT.cell("direct-reclaim", "dynamic-check+expand", Map.of()).checksExecuted(),
                guaranteed.checksExecuted(), "no chain outside the recursion is longer than 464 bytes: no extra"
                + " check; the margin of 1024 has pageout's check grow the stack before __map_bio gets there");
        assertEquals(9068, guaranteed.checksExecuted(), "per writer 198 writes of 11 checks, 2 through reclaim of 42"
                + " and the futex wait's 5: 2267");
        assertEquals(4, guaranteed.grows());
        assertEquals(32, guaranteed.mappedBytes() / 1024);
        assertEquals(fullyMapped("direct-reclaim").maxDepthBytes(), guaranteed.maxDepthBytes());
    }

    private static CellResult guaranteed(String workload) {
        Workload w = Workloads.byName(workload);
        return CellRunner.run(AGENT, w, w.defaults(),
                new Policy("dynamic-check+guarantee=1024", DYNAMIC_CHECK + ",guarantee=1024"), 120);
    }

    private static CellResult fullyMapped(String workload) {
        return WorkloadsIT.cell(workload, "fixed-16k", Map.of());
    }

    /** The oops of the workload's first task under dynamic-check, innermost first, with depths as totals. */
    private static List<Frame> oops(String workload) throws IOException, InterruptedException {
        Workload w = Workloads.byName(workload);
        Run run = java("-Xshare:off", "-javaagent:" + AGENT + "=kernel=" + CellRunner.KERNEL_GLOB + ",cpus="
                        + w.cpus(w.defaults()) + "," + DYNAMIC_CHECK,
                "-cp", AgentJar.classes() + File.pathSeparator + testClasses(),
                OopsMain.class.getName(), workload);
        assertTrue(run.stdout().startsWith("KERNEL PANIC: double fault: "), run.stdout() + run.stderr());
        List<Frame> frames = new ArrayList<>();
        for (String line : run.stdout().lines().toList()) {
            Matcher m = FRAME.matcher(line);
            if (m.matches()) {
                frames.add(new Frame(m.group(3), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1))));
            }
        }
        return frames;
    }

    /** The frames the analysis prints after {@code startLine}: total, frame, method. */
    private static List<Frame> chainAfter(String text, String startLine) {
        List<String> lines = text.lines().toList();
        int at = 0;
        while (!lines.get(at).endsWith(startLine)) {
            at++;
        }
        List<Frame> frames = new ArrayList<>();
        for (Matcher m; ++at < lines.size() && (m = FRAME.matcher(lines.get(at))).matches(); ) {
            frames.add(new Frame(m.group(3), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1))));
        }
        return frames;
    }

    private static int indexOf(List<Frame> frames, String method) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).method().equals(method)) {
                return i;
            }
        }
        throw new AssertionError(method + " is not in " + frames);
    }

    private static Path testClasses() {
        try {
            return Path.of(OopsMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        return ChildJvm.java().options(args).run();
    }
}

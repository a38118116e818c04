package io.dynstack.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.agent.WeavingLoader;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.StackStats;
import io.dynstack.runtime.WovenMethods;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-method figures and the collapsed stacks of known chains, worked out by hand from their
 * {@code @Frame} sizes: one page mapped, threshold 100, fault=grow.
 *
 * <ul>
 *   <li>thread chain-a: read(2) (syscall 64, vfs 96, filesystem 208, block 352, driver 144: 864
 *       bytes), then ten frames of deep (512 each, checked): the ninth reaches 4608, past the page,
 *       so its check grows the stack once; its stack is freed when the thread ends.</li>
 *   <li>thread chain-b: reclaimUnprepared (64) and 100 frames of small (48, unchecked): the 85th
 *       small frame reaches 64 + 85 x 48 = 4144, past the page, and faults; 4864 deep.</li>
 *   <li>the test's own thread: read(2) once more, its stack still live at the report.</li>
 * </ul>
 */
class PerMethodFiguresTest {

    private static final String CHAINS = "io.dynstack.agent.kernel.Chains";
    private static final String K = CHAINS + ".";
    private static Map<String, Object> report;
    private static StackStats stats;
    /** The ids of this run's loader, taken before another test's loader registers the same names. */
    private static final Map<String, Integer> IDS = new HashMap<>();

    @BeforeAll
    static void run() throws Throwable {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW));
        WeavingLoader kernel = WeavingLoader.kernel(100);
        runOn("chain-a", () -> {
            kernel.call("Chains", "syscall");
            kernel.call("Chains", "syscall");
            kernel.call("Chains", "deep", 10);
        });
        runOn("chain-b", () -> kernel.call("Chains", "reclaimUnprepared", 100));
        kernel.call("Chains", "syscall");
        stats = Kernel.stats();
        report = ReportFiles.cast(JsonText.parse(Report.json(stats)));
        for (String[] m : new String[][] {{"syscall", "()I"}, {"vfs", "()I"}, {"filesystem", "()I"}, {"block", "()I"},
                {"driver", "()I"}, {"deep", "(I)I"}, {"reclaimUnprepared", "(I)I"}, {"small", "(I)I"},
                {"bigLocals", "()I"}}) {
            IDS.put(m[0] + m[1], WovenMethods.find(CHAINS, m[0], m[1]).id());
        }
    }

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    interface KernelCall {
        void run() throws Throwable;
    }

    private static void runOn(String name, KernelCall body) throws InterruptedException {
        Thread t = new Thread(() -> Kernel.run(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        }), name);
        t.start();
        t.join();
    }

    /** entries, checks, grows, faults, panics, max_depth_bytes of one method of this test's loader. */
    private static List<Long> figures(String name, String descriptor) {
        int id = IDS.get(name + descriptor);
        StackStats.MethodStats m = stats.methods().stream().filter(s -> s.method().id() == id).findFirst().orElseThrow();
        return List.of(m.entries(), m.checks(), m.grows(), m.faults(), m.panics(), m.maxDepthBytes());
    }

    @Test
    void eachMethodCountsItsEntriesChecksGrowsFaultsAndDeepestEntry() {
        assertEquals(List.of(3L, 0L, 0L, 0L, 0L, 64L), figures("syscall", "()I"));
        assertEquals(List.of(3L, 0L, 0L, 0L, 0L, 160L), figures("vfs", "()I"));
        assertEquals(List.of(3L, 3L, 0L, 0L, 0L, 368L), figures("filesystem", "()I"));
        assertEquals(List.of(3L, 3L, 0L, 0L, 0L, 720L), figures("block", "()I"));
        assertEquals(List.of(3L, 3L, 0L, 0L, 0L, 864L), figures("driver", "()I"));
        assertEquals(List.of(10L, 10L, 1L, 0L, 0L, 5120L), figures("deep", "(I)I"));
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 64L), figures("reclaimUnprepared", "(I)I"));
        assertEquals(List.of(100L, 0L, 1L, 1L, 0L, 4864L), figures("small", "(I)I"));
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), figures("bigLocals", "()I"), "woven, never entered");
        assertEquals(2, stats.events().grows());
        assertEquals(1, stats.events().faults());
        assertEquals(19, stats.events().checksExecuted());
    }

    @Test
    void theCsvHasOneRowPerMethodWithTheSameFigures() {
        String csv = ReportFiles.methodsCsv(report);
        List<String> lines = csv.lines().toList();
        assertEquals("method,frame_size,checked,expand_bytes,entries,checks,grows,faults,panics,max_depth_bytes",
                lines.get(0));
        assertEquals(stats.methods().size() + 1, lines.size());
        int deep = IDS.get("deep(I)I");
        int row = 1 + stats.methods().stream().map(m -> m.method().id()).toList().indexOf(deep);
        assertEquals(K + "deep(I)I,512,true,0,10,10,1,0,0,5120", lines.get(row));
    }

    @Test
    void theCollapsedStacksWeighEveryFrameOfEachStacksDeepestChainByItsBytes() {
        StringBuilder expected = new StringBuilder();
        String deep = "";
        for (int i = 0; i < 10; i++) {
            deep += (i == 0 ? "" : ";") + K + "deep";
            expected.append(deep).append(" 512\n");
        }
        String reclaim = K + "reclaimUnprepared";
        expected.append(reclaim).append(" 64\n");
        for (int i = 0; i < 100; i++) {
            reclaim += ";" + K + "small";
            expected.append(reclaim).append(" 48\n");
        }
        expected.append(K + "syscall 64\n")
                .append(K + "syscall;" + K + "vfs 96\n")
                .append(K + "syscall;" + K + "vfs;" + K + "filesystem 208\n")
                .append(K + "syscall;" + K + "vfs;" + K + "filesystem;" + K + "block 352\n")
                .append(K + "syscall;" + K + "vfs;" + K + "filesystem;" + K + "block;" + K + "driver 144\n");
        assertEquals(expected.toString(), ReportFiles.stacksCollapsed(report));
    }

    @Test
    void theRunsDeepestChainIsTheTenFramesOfDeepOnChainA() {
        Map<String, Object> deepest = ReportFiles.cast(report.get("deepest_chain"));
        assertEquals("chain-a", deepest.get("thread"));
        assertEquals(5120L, deepest.get("depth_bytes"));
        StringBuilder expected = new StringBuilder();
        String deep = "";
        for (int i = 0; i < 10; i++) {
            deep += (i == 0 ? "" : ";") + K + "deep";
            expected.append(deep).append(" 512\n");
        }
        assertEquals(expected.toString(), ReportFiles.deepestCollapsed(report));
    }

    @Test
    void identicalDeepestChainsFoldIntoOneEntryWithTheirStackCount() throws Throwable {
        Kernel.configure(StackConfig.DEFAULT);
        WeavingLoader kernel = WeavingLoader.kernel(100);
        for (int i = 0; i < 3; i++) {
            runOn("reader-" + i, () -> kernel.call("Chains", "syscall"));
        }
        Map<String, Object> folded = ReportFiles.cast(JsonText.parse(Report.json(Kernel.stats())));
        List<Map<String, Object>> chains = ReportFiles.objects(folded, "deepest_chains");
        assertEquals(1, chains.size());
        assertEquals(3L, chains.get(0).get("stacks"));
        assertEquals(864L, chains.get(0).get("depth_bytes"));
        assertEquals(K + "syscall;" + K + "vfs;" + K + "filesystem;" + K + "block;" + K + "driver 432\n",
                ReportFiles.stacksCollapsed(folded).lines().reduce((a, b) -> b).orElseThrow() + "\n");
    }

    @Test
    void aChainLongerThan1024FramesIsRecordedUpToIts1024thFrame() throws Throwable {
        // 64 KiB all mapped: reclaimUnprepared (64) and 1100 frames of small (48), 64 + 1100 x 48 = 52864 bytes.
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(64 * 1024).fixed());
        WeavingLoader kernel = WeavingLoader.kernel(100);
        runOn("long-chain", () -> kernel.call("Chains", "reclaimUnprepared", 1100));
        StackStats longChain = Kernel.stats();
        assertEquals(52864, longChain.depth().maxBytes());
        StackStats.Deepest deepest = longChain.depth().deepest();
        assertEquals(1024, deepest.frames().size(), "recording stops once a chain has 1024 frames");
        assertEquals(64 + 1023 * 48, deepest.depthBytes(), "reclaimUnprepared and 1023 small frames, where it stopped");
    }

    @Test
    void withMethodsFalseNoEntryIsCountedPerMethodButTheDeepestChainIsStillRecorded() throws Throwable {
        Kernel.configure(StackConfig.DEFAULT);
        WeavingLoader kernel = new WeavingLoader("io.dynstack.agent.kernel.", new WeaveConfig(100).withMethods(false));
        runOn("uncounted", () -> kernel.call("Chains", "syscall"));
        StackStats uncounted = Kernel.stats();
        int driver = WovenMethods.find(CHAINS, "driver", "()I").id();
        StackStats.MethodStats m = uncounted.methods().stream().filter(s -> s.method().id() == driver).findFirst()
                .orElseThrow();
        assertEquals(List.of(0L, 0L, 0L), List.of(m.entries(), m.checks(), m.maxDepthBytes()));
        assertEquals(3, uncounted.events().checksExecuted(), "the totals count as before");
        assertEquals(864, uncounted.depth().deepest().depthBytes());
        assertEquals(5, uncounted.depth().deepest().frames().size());
    }
}

package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
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

    @Test
    void directReclaimFaultsOnTheLongestChainOutsideTheRecursion() throws IOException, InterruptedException {
        String start = KERNEL + "Mm.tryToFreePages(I)I";
        assertTrue(analysis.contains("  outside the recursion, the longest chain: 1840 bytes, from the check in "
                + start + " (frame 144, covered by the check)\n"), analysis);
        List<Frame> reported = chainAfter(analysis, start + "  [check: maps frame + margin]");

        List<Frame> oops = oops("direct-reclaim");
        assertEquals(KERNEL + "Ext4Evict.submitBh(I)I", oops.get(0).method());
        int check = indexOf(oops, start);
        int checkDepth = oops.get(check).total();
        List<Frame> faulting = new ArrayList<>();
        for (int i = check - 1; i >= 0; i--) {
            Frame f = oops.get(i);
            faulting.add(new Frame(f.method(), f.frameSize(), f.total() - checkDepth));
        }
        assertEquals(faulting, reported.subList(0, faulting.size()),
                "the frames from the check to the fault, method by method, are the reported chain's");
        assertEquals(1744, faulting.get(faulting.size() - 1).total());
    }

    @Test
    void guaranteeRunsSmallFrameChainUnderPanicWithNoFault() {
        CellResult guaranteed = guaranteed("small-frame-chain");
        assertEquals("ok", guaranteed.status(), guaranteed.toString());
        assertNull(guaranteed.panic());
        assertEquals(0, guaranteed.faults());
        assertEquals(0, guaranteed.panics());
        assertEquals(4 * 111, guaranteed.checksExecuted(), "the helper's placed check runs 100 times per thread");
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
        assertEquals(3316, guaranteed.checksExecuted());
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

    record Run(int exit, String stdout, String stderr) {
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("dynstack-analyze-it-", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            return new Run(p.waitFor(), out, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }
}

package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.weave.WeaveConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results command on the futex fixture, every figure worked out by hand (see ImportAnalysisTest). */
class LinuxResultsTest {

    private static LinuxResults.Row row(LinuxResults.Results r, WeaveConfig.Basis basis, int threshold) {
        return r.rows().stream().filter(x -> x.basis() == basis && x.threshold() == threshold).findFirst().orElseThrow();
    }

    @Test
    void eachBasisAndThresholdGivesItsChecksChainAndPlacement() throws IOException {
        LinuxResults.Results r = LinuxResults.compute(KernelDataTest.fixture(), LinuxResults.THRESHOLDS,
                List.of(128, 256));
        assertEquals(18, r.rows().size());
        assertEquals(2, r.sites());
        // No checks: the longest chain is __x64_sys_futex 48 + do_futex 96 + futex_wait 184
        // + futex_wait_queue 40 + __schedule 120 = 488 (entry_SYSCALL_64's is 176 + 56 = 232).
        LinuxResults.Row none = row(r, WeaveConfig.Basis.LOCALS, WeaveConfig.NO_CHECKS);
        assertEquals(0, none.checked());
        assertEquals(488, LinuxResults.chain(none).bytes());
        assertEquals(5, LinuxResults.chain(none).links().size());
        // With every entry checked, the two entries; for 128 below them: do_futex 96 + futex_wait
        // 184 passes, so futex_wait and then futex_wait_queue 40 + __schedule 120 = 160 passes too:
        // 4 checks. For 256: do_futex 96 + futex_wait 184 + ... passes at futex_wait: 3.
        assertArrayEquals(new int[] {4, 3}, none.entryChecked());
        // A check at each indirect site instead: entry_SYSCALL_64's 232 passes 128 and not 256.
        assertArrayEquals(new int[] {4, 1}, none.siteChecked());

        LinuxResults.Row locals = row(r, WeaveConfig.Basis.LOCALS, 100);
        assertEquals(1, locals.checked());
        assertEquals(232, LinuxResults.chain(locals).bytes());
        LinuxResults.Row frame = row(r, WeaveConfig.Basis.FRAME, 100);
        assertEquals(3, frame.checked());
        assertEquals(144, LinuxResults.chain(frame).bytes());
        assertEquals(8, row(r, WeaveConfig.Basis.FRAME, 32).checked(), "every frame is at least 32");
        assertEquals(3, row(r, WeaveConfig.Basis.LOCALS, 32).checked(), "three functions have locals of 32 or more");
    }

    @Test
    void theCommandPrintsTheTableAndTheChainsAndWritesCsvAndSvg(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("futex-chain.kframes");
        try (InputStream in = LinuxResultsTest.class.getResourceAsStream("futex-chain.kframes")) {
            Files.write(data, in.readAllBytes());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LinuxResults.run(new String[] {data.toString(), "--margins", "256,128", "--out", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.lines().anyMatch(l -> l.matches("locals +none +0 +0\\.00% +488 B, 5 +4 +3 +4 +1")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("frame +100 +3 +37\\.50% +144 B, 2 +1 +1 +1 +0")), text);
        assertTrue(text.contains("""
                locals, threshold 100: 232 bytes in 2 frames with no check, from the entry entry_SYSCALL_64 (no direct\
                 caller), its own frame counted
                    depth  frame  locals  function
                      232     56       0  do_syscall_64
                      176    176       0  entry_SYSCALL_64
                """), text);
        List<String> csv = Files.readAllLines(dir.resolve("linux-0.0.0-fixture.csv"));
        assertEquals(19, csv.size());
        assertEquals("locals,none,0,0.0000,false,488,5,__x64_sys_futex,4,3,4,1,2", csv.get(1));
        String svg = Files.readString(dir.resolve("linux-0.0.0-fixture.svg"));
        assertTrue(svg.startsWith("<svg ") && svg.endsWith("</svg>\n"));
    }

    @Test
    void aBadValueIsOneLineWithStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LinuxResults.run(new String[] {"--margins", "1m"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("dynstack linux-results: bad value '1m' for option '--margins': expected sizes in bytes or KiB"
                + " separated by ','; " + LinuxResults.USAGE + "\n", err.toString(StandardCharsets.UTF_8));
    }
}

package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.agent.analyze.Analysis;
import io.dynstack.agent.analyze.CallGraph;
import io.dynstack.agent.analyze.ChainBound;
import io.dynstack.agent.analyze.ClassInput;
import io.dynstack.agent.weave.WeaveConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * analyze on the imported futex fixture, worked out by hand. The graph: entry_SYSCALL_64 (176,
 * locals 0) calls do_syscall_64 (56, 0), whose one indirect site reaches __x64_sys_futex (48, 0)
 * through the syscall table; it calls do_futex (96, 32), which calls futex_wait (184, 120), which
 * calls futex_wait_queue (40, 0), which calls schedule (32, 0), and schedule ends in a jump to
 * __schedule (120, 64): so futex_wait_queue calls __schedule too, and schedule calls nothing.
 * Entries: entry_SYSCALL_64 and __x64_sys_futex, which no function calls directly.
 */
class ImportAnalysisTest {

    private static Analysis analyse(int threshold, WeaveConfig.Basis basis) throws IOException {
        List<ClassInput.ClassFile> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : KernelClasses.of(KernelDataTest.fixture()).generate().entrySet()) {
            files.add(new ClassInput.ClassFile(e.getKey() + ".class", e.getValue()));
        }
        return Analysis.run(files, new Analysis.Options(List.of("linux.**"), threshold, -1, basis));
    }

    private static List<String> chain(Analysis a, ChainBound.Chain c) {
        List<String> out = new ArrayList<>();
        CallGraph g = a.graph();
        if (!c.fromEntry()) {
            out.add("check " + g.method(c.start()).name());
        }
        for (ChainBound.Link l : c.links()) {
            out.add(l.total() + " " + l.frameSize() + " " + g.method(l.node()).name());
        }
        return out;
    }

    @Test
    void onTheFrameTheLongestChainIsTheSyscallsOwn() throws IOException {
        // Checked at 100: futex_wait 184, entry_SYSCALL_64 176, __schedule 120. From the entry
        // __x64_sys_futex: 48 + do_futex 96 = 144, then futex_wait's check. Below futex_wait:
        // futex_wait_queue 40 + schedule 32 = 72; below entry_SYSCALL_64: 56.
        Analysis a = analyse(100, WeaveConfig.Basis.FRAME);
        assertEquals(8, a.graph().size());
        assertEquals(2, a.graph().entries().size());
        assertEquals(144, a.bound().bound());
        assertEquals(List.of("48 48 __x64_sys_futex", "144 96 do_futex"), chain(a, a.bound().worst()));
        assertEquals(List.of("__schedule", "do_syscall_64"),
                a.graph().reflectiveCallers().stream().map(v -> a.graph().method(v).name()).toList());
    }

    @Test
    void onLocalsTheEntryStubIsNoLongerChecked() throws IOException {
        // Locals at 100: only futex_wait (120). entry_SYSCALL_64's 176 bytes are pushed registers,
        // so the entry's chain counts them: 176 + 56 = 232. Below futex_wait: 40 + __schedule 120.
        Analysis a = analyse(100, WeaveConfig.Basis.LOCALS);
        assertEquals(232, a.bound().bound());
        assertEquals(List.of("176 176 entry_SYSCALL_64", "232 56 do_syscall_64"), chain(a, a.bound().worst()));
        int futexWait = a.graph().node("linux.vmlinux.K0000.futex_wait" + KernelClasses.DESCRIPTOR);
        assertEquals(160, a.bound().bytesFrom(futexWait));
        assertEquals(120, a.graph().locals(futexWait));
        assertEquals(184, a.graph().frameSize(futexWait));
    }

    @Test
    void thePlacementForAMarginChecksTheEntriesAndTheWaitQueue() throws IOException {
        // Locals at 100, margin 128: the two entries get checks; below futex_wait, futex_wait_queue
        // 40 + __schedule 120 = 160 passes 128, so futex_wait_queue gets one, leaving __schedule's 120.
        List<ClassInput.ClassFile> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : KernelClasses.of(KernelDataTest.fixture()).generate().entrySet()) {
            files.add(new ClassInput.ClassFile(e.getKey() + ".class", e.getValue()));
        }
        Analysis a = Analysis.run(files, new Analysis.Options(List.of("linux.**"), 100, 128, WeaveConfig.Basis.LOCALS));
        CallGraph g = a.graph();
        assertEquals(List.of("__x64_sys_futex", "entry_SYSCALL_64"),
                a.placement().entryChecks().stream().map(v -> g.method(v).name()).toList());
        assertEquals(List.of("futex_wait_queue"),
                a.placement().chainChecks().stream().map(v -> g.method(v).name()).toList());
        assertEquals(120, a.placement().bound().bound());
        assertEquals(List.of("check futex_wait_queue", "120 120 __schedule"), chain(a, a.placement().bound().worst()));
    }
}

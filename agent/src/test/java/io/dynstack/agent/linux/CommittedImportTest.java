package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole committed kernel imported: every generated class weaves, and a futex waiter's real
 * chain, replayed through the woven classes, reaches the sum of its real frames.
 */
class CommittedImportTest {

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @Test
    void everyFunctionOfTheCommittedKernelBecomesAMethodThatWeaves() throws IOException {
        KernelData data = KernelFiles.read(KernelFiles.COMMITTED);
        Map<String, byte[]> classes = KernelClasses.of(data).generate();
        ClassWeaver weaver = new ClassWeaver(new WeaveConfig(100, true, WeaveConfig.Basis.LOCALS));
        int methods = classes.values().parallelStream().mapToInt(c -> weaver.weave(c).methods().size()).sum();
        assertEquals(data.functions().size(), methods);
        assertTrue(classes.keySet().containsAll(List.of("linux/vmlinux/K0000", "linux/xfs/K0000", "linux/kvm_intel/K0000")),
                classes.keySet().toString());
    }

    @Test
    void aFutexWaiterReplaysToItsRealFrames() throws IOException {
        Kernel.configure(StackConfig.DEFAULT);
        KernelData data = KernelFiles.read(KernelFiles.COMMITTED);
        Replay replay = Replay.of(data, ImportedLoader.large(data, new WeaveConfig(100, true, WeaveConfig.Basis.LOCALS)));
        // As /proc/PID/stack shows a futex waiter, outermost first, with the scheduler frames it leaves out:
        // 176 + 48 + 120 + 32 + 144 + 192 + 40 + 16 + 120.
        Replay.Chain chain = replay.chain("entry_SYSCALL_64", "do_syscall_64", "__x64_sys_futex", "do_futex", "futex_wait",
                "__futex_wait", "futex_wait_queue", "schedule", "__schedule");
        assertEquals(888, chain.frames());
        assertEquals(List.of(Replay.Step.ENTRY, Replay.Step.DIRECT, Replay.Step.DIRECT, Replay.Step.DIRECT,
                Replay.Step.DIRECT, Replay.Step.DIRECT, Replay.Step.DIRECT, Replay.Step.DIRECT, Replay.Step.DIRECT),
                chain.steps(), "do_syscall_64 reaches the handler through x64_sys_call's tail call");
        int[] depth = new int[1];
        chain.run(() -> depth[0] = KernelStack.current().depth());
        assertEquals(888, depth[0]);
        // Locals of 100 or more: futex_wait 88, __futex_wait 144 only.
        assertEquals(1, Kernel.stats().events().checksExecuted());
    }
}

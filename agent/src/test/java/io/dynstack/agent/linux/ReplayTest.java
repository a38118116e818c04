package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The futex fixture imported, woven and replayed: the stack at the leaf holds exactly the chain's
 * frames (entry_SYSCALL_64 176, do_syscall_64 56, __x64_sys_futex 48, do_futex 96, futex_wait 184,
 * futex_wait_queue 40, schedule 32: 632 bytes).
 */
class ReplayTest {

    private static final String[] FUTEX = {"entry_SYSCALL_64", "do_syscall_64", "__x64_sys_futex", "do_futex",
            "futex_wait", "futex_wait_queue", "schedule"};

    @BeforeEach
    void fresh() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    private static Replay replay(WeaveConfig config) throws IOException {
        KernelData data = KernelDataTest.fixture();
        return Replay.of(data, ImportedLoader.of(data, config));
    }

    @Test
    void aChainReachesExactlyTheSumOfItsFramesAtTheLeaf() throws IOException {
        Replay.Chain chain = replay(new WeaveConfig(100)).chain(FUTEX);
        assertEquals(632, chain.frames());
        assertEquals(List.of(FUTEX), chain.names());
        assertEquals(List.of(Replay.Step.ENTRY, Replay.Step.DIRECT, Replay.Step.INDIRECT, Replay.Step.DIRECT,
                Replay.Step.DIRECT, Replay.Step.DIRECT, Replay.Step.DIRECT), chain.steps());
        int[] depth = new int[1];
        chain.run(() -> depth[0] = KernelStack.current().depth());
        assertEquals(632, depth[0]);
        assertEquals(0, KernelStack.current().depth(), "every frame restored on the way out");
        // entry_SYSCALL_64 (176) and futex_wait (184) are checked at 100 on the frame.
        assertEquals(2, Kernel.stats().events().checksExecuted());
        assertEquals(632, Kernel.stats().depth().maxBytes());
    }

    @Test
    void onLocalsOnlyTheFunctionsWithLargeLocalsAreChecked() throws IOException {
        // futex_wait has 120 bytes of locals; entry_SYSCALL_64's 176 are all saved registers.
        replay(new WeaveConfig(100, true, WeaveConfig.Basis.LOCALS)).chain(FUTEX).run(() -> { });
        assertEquals(1, Kernel.stats().events().checksExecuted());
    }

    @Test
    void aTailCallReplacesTheCallersFrame() throws IOException {
        // schedule ends in a jump to __schedule (120): schedule's 32 bytes are gone when it runs.
        List<String> chain = new ArrayList<>(List.of(FUTEX));
        chain.add("__schedule");
        Replay.Chain tail = replay(new WeaveConfig(100)).chain(chain.toArray(String[]::new));
        assertEquals(632 - 32 + 120, tail.frames());
        assertEquals("futex_wait_queue", tail.names().get(tail.names().size() - 2));
        assertEquals("__schedule", tail.names().get(tail.names().size() - 1));
        int[] depth = new int[1];
        tail.run(() -> depth[0] = KernelStack.current().depth());
        assertEquals(720, depth[0]);
    }

    @Test
    void anExceptionFromTheLeafUnwindsEveryFrame() throws IOException {
        Replay.Chain chain = replay(new WeaveConfig(100)).chain(FUTEX);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> chain.run(() -> {
            throw new IllegalStateException("woken by a signal");
        }));
        assertEquals("woken by a signal", e.getMessage());
        assertEquals(0, KernelStack.current().depth());
    }

    @Test
    void anUnknownNameIsOneErrorNamingIt() throws IOException {
        Replay replay = replay(new WeaveConfig(100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> replay.chain("do_syscall_64", "__x64_sys_futex", "do_fuetx", "futex_wait"));
        assertEquals("unknown kernel function 'do_fuetx' (step 3 of the chain) in 0.0.0-fixture", e.getMessage());
    }

    @Test
    void aStepThatNoCallMakesIsOneErrorNamingBoth() throws IOException {
        Replay replay = replay(new WeaveConfig(100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> replay.chain("do_futex", "schedule"));
        assertEquals("step 1 > 2 of the chain, 'do_futex' > 'schedule': schedule is not a direct callee of do_futex,"
                + " nor a tail call from it or from one of its callees, and do_futex has no indirect call site",
                e.getMessage());
    }

    @Test
    void anIndirectCallSiteReachesAnyFunction() throws IOException {
        // do_syscall_64 calls through sys_call_table: any function may follow it.
        Replay.Chain chain = replay(new WeaveConfig(100)).chain("do_syscall_64", "futex_wait_queue");
        assertEquals(96, chain.frames());
        int[] depth = new int[1];
        chain.run(() -> depth[0] = KernelStack.current().depth());
        assertEquals(96, depth[0]);
    }

    @Test
    void namesResolveAsATracePrintsThem() throws IOException {
        assertEquals(List.of("do_futex", "futex_wait"),
                replay(new WeaveConfig(100)).chain("do_futex.isra.0", "futex_wait").names());
    }
}

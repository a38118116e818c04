package io.dynstack.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.Probe;
import io.dynstack.agent.WeavingLoader;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelPanic;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.Oops;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.StackDesign;
import io.dynstack.runtime.StackStats;
import io.dynstack.runtime.WovenMethods;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Woven kernel chains run for real; sizes come from @Frame, so every figure is worked out by hand. */
class WovenChainTest {

    private static final StackConfig DYNAMIC = StackConfig.DEFAULT;
    private static final String CHAINS = "Chains";

    @BeforeEach
    void fresh() {
        Kernel.configure(DYNAMIC);
        Probe.recorded();
    }

    @AfterEach
    void forget() {
        Kernel.configure(DYNAMIC);
    }

    @Test
    void leavingAnIdlePointWakesTheThreadOnEitherExit() throws Throwable {
        Kernel.configure(DYNAMIC.fixed().withDesign(StackDesign.NONE.withIdle(StackDesign.Idle.RELEASE)));
        WeavingLoader kernel = WeavingLoader.kernel(100);
        assertEquals(0L, kernel.call("Sleeps", "futexWait", false), "nothing mapped while parked in futex wait");
        KernelStack ks = KernelStack.current();
        assertEquals(16384, ks.mappedBytes(), "the return out of the idle point took the stack again");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> kernel.call("Sleeps", "futexWait", true));
        assertEquals("interrupted with 0 bytes mapped", e.getMessage());
        assertEquals(16384, ks.mappedBytes(), "so did the exception");
        assertEquals(2, Kernel.stats().design().allocations().wake().count());
        assertEquals(16384, ks.sp());
    }

    @Test
    void aKnownChainReachesItsExactDepthWithinOnePage() throws Throwable {
        WeavingLoader kernel = WeavingLoader.kernel(100);
        assertEquals(864, kernel.call(CHAINS, "syscall"));
        KernelStack ks = KernelStack.current();
        assertEquals(16384, ks.sp(), "back at the top after the call");
        assertEquals(12288, ks.mappedBottom(), "one page, no growth");
        StackStats s = Kernel.stats();
        assertEquals(864, s.depth().maxBytes());
        assertEquals(0, s.events().grows());
        // vfs (96) is below the threshold; filesystem, block and driver are checked.
        assertEquals(3, s.events().checksExecuted());
    }

    @Test
    void theCheckGrowsBeforeOverflowWhereUncheckedCodeFaults() throws Throwable {
        // 10 frames of 512 bytes: 5120 bytes, one page is 4096.
        assertEquals(5120, WeavingLoader.kernel(100).call(CHAINS, "deep", 10));
        KernelStack ks = KernelStack.current();
        assertEquals(8192, ks.mappedBottom(), "grown by exactly one page");
        assertEquals(1, Kernel.stats().events().grows());
        assertEquals(10, Kernel.stats().events().checksExecuted());
        assertEquals(0, Kernel.stats().events().faults());

        Kernel.configure(DYNAMIC);
        WeavingLoader unchecked = WeavingLoader.kernel(WeaveConfig.NO_CHECKS);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> unchecked.call(CHAINS, "deep", 10));
        assertTrue(panic.headline().startsWith("double fault: io.dynstack.agent.kernel.Chains.deep(I)I (frame 512) "
                + "at depth 4608"), panic.headline());
        assertEquals(16384, KernelStack.current().sp(), "every frame restored sp while the panic unwound");
        assertEquals(1, Kernel.stats().events().panics());

        Kernel.configure(DYNAMIC.withFault(FaultPolicy.GROW));
        assertEquals(5120, unchecked.call(CHAINS, "deep", 10));
        assertEquals(1, Kernel.stats().events().faults());
        assertEquals(1, Kernel.stats().events().grows());
        assertEquals(0, Kernel.stats().events().checksExecuted());
    }

    @Test
    void aChainOfSmallFramesBelowTheThresholdStillFaults() throws Throwable {
        WeavingLoader kernel = WeavingLoader.kernel(100);
        // 128 + 80 x 48 = 3968 fits in the first page; 128 + 90 x 48 = 4448 does not.
        assertEquals(3968, kernel.call(CHAINS, "smallFrames", 80));
        KernelPanic panic = assertThrows(KernelPanic.class, () -> kernel.call(CHAINS, "smallFrames", 90));
        Oops oops = panic.oops();
        assertEquals(4112, oops.chain().get(0).depth(), "the first frame past 4096: 128 + 83 x 48");
        assertEquals("io.dynstack.agent.kernel.Chains.small(I)I", oops.chain().get(0).method());
        assertEquals(84, oops.chain().size(), "83 small frames and the checked entry");
        assertEquals("io.dynstack.agent.kernel.Chains.smallFrames(I)I", oops.chain().get(83).method());
        assertEquals(128, oops.chain().get(83).depth());
        assertEquals(2, Kernel.stats().events().checksExecuted(), "only the entry is checked, once per call");
    }

    @Test
    void thresholdZeroChecksEveryFrameAndNeverFaults() throws Throwable {
        assertEquals(128 + 90 * 48, WeavingLoader.kernel(0).call(CHAINS, "smallFrames", 90));
        assertEquals(91, Kernel.stats().events().checksExecuted());
        assertEquals(1, Kernel.stats().events().grows());
    }

    @Test
    void pastThreadSizePanicsWithAnOopsListingTheChain() throws Throwable {
        WeavingLoader kernel = WeavingLoader.kernel(100);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> kernel.call(CHAINS, "deep", 40));
        Oops oops = panic.oops();
        assertTrue(oops.headline().startsWith("stack overflow: io.dynstack.agent.kernel.Chains.deep(I)I (frame 512) "
                + "at depth 16896 runs past THREAD_SIZE 16384"), oops.headline());
        assertEquals(33, oops.chain().size(), "32 frames fill 16 KiB; the 33rd cannot be entered");
        for (int i = 0; i < 33; i++) {
            assertEquals(16896 - 512 * i, oops.chain().get(i).depth());
            assertEquals(512, oops.chain().get(i).frameSize());
        }
        assertEquals(16384 - 32 * 512, oops.sp());
        assertTrue(panic.getMessage().contains("16896    512  io.dynstack.agent.kernel.Chains.deep(I)I"),
                panic.getMessage());
    }

    @Test
    void expandStackPreMapsSoThatADeepUncheckedPathRunsClean() throws Throwable {
        WeavingLoader unchecked = WeavingLoader.kernel(WeaveConfig.NO_CHECKS);
        // 64 + 150 x 48 = 7264 bytes, no checks anywhere.
        assertEquals(7264, unchecked.call(CHAINS, "reclaim", 150));
        StackStats s = Kernel.stats();
        assertEquals(1, s.events().expandCalls());
        assertEquals(1, s.events().grows());
        assertEquals(0, s.events().faults());
        // 16384 - 64 - 8192 = 8128: the page from 4096 up is the lowest mapped.
        assertEquals(4096, KernelStack.current().mappedBottom());
        Kernel.configure(DYNAMIC);
        assertThrows(KernelPanic.class, () -> unchecked.call(CHAINS, "reclaimUnprepared", 150));
    }

    @Test
    void frameOverridesTheModel() throws Throwable {
        WeavingLoader kernel = WeavingLoader.kernel(100);
        assertEquals(1008, kernel.call(CHAINS, "bigLocals"), "1000 rounded up to 16");
        assertEquals(32, kernel.call(CHAINS, "modelled"), "one operand slot: 16 + 8 = 24, aligned to 32");
        WovenMethods.Method big = WovenMethods.find("io.dynstack.agent.kernel.Chains", "bigLocals", "()I");
        assertEquals(1008, big.frameSize());
        assertTrue(big.checked());
        WovenMethods.Method modelled = WovenMethods.find("io.dynstack.agent.kernel.Chains", "modelled", "()I");
        assertEquals(32, modelled.frameSize());
        assertTrue(!modelled.checked());
    }

    @Test
    void manyThreadsAtOnceGiveExactTotals() throws Throwable {
        WeavingLoader kernel = WeavingLoader.kernel(100);
        int threads = 12;
        CyclicBarrier allDeep = new CyclicBarrier(threads);
        List<Throwable> failures = new ArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofPlatform().start(() -> Kernel.run(() -> {
                try {
                    for (int call = 0; call < 1000; call++) {
                        kernel.call(CHAINS, "syscall");
                    }
                    kernel.call(CHAINS, "deep", 10);
                    allDeep.await();
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            })));
        }
        for (Thread t : started) {
            t.join();
        }
        assertEquals(List.of(), failures);
        StackStats s = Kernel.stats();
        assertEquals(threads, s.stacks().created());
        assertEquals(threads, s.stacks().peakLive());
        assertEquals(0, s.stacks().live());
        assertEquals(threads * (1000 * 3 + 10L), s.events().checksExecuted());
        assertEquals(threads, s.events().grows());
        assertEquals(threads * 8192L, s.memory().peakMappedBytes());
        assertEquals(0, s.memory().mappedBytes());
        assertEquals(5120, s.depth().maxBytes());
        assertEquals(threads, s.depth().histogram()[4], "every stack peaked between 4 and 5 KiB");
    }

    @Test
    void aStackIsFreedWhenItsThreadEnds() throws Throwable {
        WeavingLoader kernel = WeavingLoader.kernel(100);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                kernel.call(CHAINS, "deep", 10);
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        });
        t.join();
        StackStats s = Kernel.stats();
        assertEquals(0, s.memory().mappedBytes(), "the totals free the stacks of ended threads before they count");
        assertEquals(0, s.stacks().live());
        assertEquals(8192, s.memory().peakMappedBytes());
        assertEquals(1, s.stacks().reaped());
    }
}

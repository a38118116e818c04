package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hot path driven by hand, as woven code drives it, with numbers worked out from the layout. */
class KernelStackTest {

    private static final StackConfig DYNAMIC = StackConfig.DEFAULT;

    @BeforeEach
    void fresh() {
        Kernel.configure(DYNAMIC);
    }

    @AfterEach
    void forget() {
        Kernel.configure(DYNAMIC);
    }

    @Test
    void aStackIsCreatedAtFirstEntryWithOnePageMapped() {
        KernelStack ks = KernelStack.current();
        assertEquals(16384, ks.sp());
        assertEquals(12288, ks.mappedBottom());
        assertEquals(4096, ks.mappedBytes());
        StackStats s = Kernel.stats();
        assertEquals(1, s.stacks().created());
        assertEquals(1, s.stacks().live());
        assertEquals(4096, s.memory().mappedBytes());
        assertEquals(16384, s.baseBytes());
    }

    @Test
    void enterAndRestoreMoveSpByTheFrame() {
        KernelStack ks = KernelStack.current();
        int a = ks.enter(64);
        int b = ks.enter(208);
        assertEquals(16384 - 272, ks.sp());
        ks.restore(b);
        assertEquals(16384 - 64, ks.sp());
        ks.restore(a);
        assertEquals(16384, ks.sp());
        assertEquals(272, ks.maxDepth());
    }

    @Test
    void aCheckGrowsBeforeTheFrameWouldRunOffTheMappedPage() {
        KernelStack ks = KernelStack.current();
        ks.enter(4000);
        ks.enterChecked(512);
        // sp 16384 - 4512 = 11872 is below 12288: one more page, bottom at 8192.
        assertEquals(11872, ks.sp());
        assertEquals(8192, ks.mappedBottom());
        StackStats s = Kernel.stats();
        assertEquals(1, s.events().grows());
        assertEquals(1, s.events().checksExecuted());
        assertEquals(0, s.events().faults());
        assertEquals(8192, s.memory().peakMappedBytes());
    }

    @Test
    void theMarginMakesACheckGrowEarlier() {
        Kernel.configure(DYNAMIC.withMargin(1024));
        KernelStack ks = KernelStack.current();
        ks.enterChecked(3200);
        // 16384 - 3200 - 1024 = 12160 is below 12288.
        assertEquals(8192, ks.mappedBottom());
        assertEquals(1, Kernel.stats().events().grows());
    }

    @Test
    void anUncheckedFrameBelowTheMappedPagePanicsUnderFaultPanic() {
        KernelStack ks = KernelStack.current();
        ks.enter(4000);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> ks.enter(200));
        assertTrue(panic.headline().startsWith("double fault:"), panic.headline());
        assertEquals(16384 - 4000, ks.sp(), "a panic leaves sp where it was");
        assertEquals(1, Kernel.stats().events().panics());
        assertEquals(0, Kernel.stats().events().faults());
    }

    @Test
    void anUncheckedFrameBelowTheMappedPageGrowsAndCountsUnderFaultGrow() {
        Kernel.configure(DYNAMIC.withFault(FaultPolicy.GROW));
        KernelStack ks = KernelStack.current();
        ks.enter(4000);
        ks.enter(200);
        assertEquals(8192, ks.mappedBottom());
        StackStats s = Kernel.stats();
        assertEquals(1, s.events().faults());
        assertEquals(1, s.events().grows());
        assertEquals(0, s.events().panics());
    }

    @Test
    void pastThreadSizeIsAlwaysAPanicEvenWithFaultGrow() {
        Kernel.configure(DYNAMIC.withFault(FaultPolicy.GROW));
        KernelStack ks = KernelStack.current();
        ks.enterChecked(16000);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> ks.enterChecked(512));
        assertTrue(panic.headline().startsWith("stack overflow:"), panic.headline());
        assertTrue(panic.headline().contains("past THREAD_SIZE 16384"), panic.headline());
    }

    @Test
    void expandStackMapsAheadOfTheCurrentSp() {
        KernelStack ks = KernelStack.current();
        ks.enter(64);
        ks.expandStack(8192);
        // 16320 - 8192 = 8128 lies in the page starting at 4096.
        assertEquals(4096, ks.mappedBottom());
        assertEquals(12288, ks.mappedBytes());
        StackStats s = Kernel.stats();
        assertEquals(1, s.events().expandCalls());
        assertEquals(1, s.events().grows());
        ks.expandStack(100);
        assertEquals(2, Kernel.stats().events().expandCalls());
        assertEquals(1, Kernel.stats().events().grows(), "nothing left to map");
    }

    @Test
    void fixedStacksNeverGrowOrFault() {
        Kernel.configure(DYNAMIC.fixed());
        KernelStack ks = KernelStack.current();
        ks.enter(15000);
        ks.enter(1000);
        assertEquals(16384, Kernel.stats().memory().mappedBytes());
        assertEquals(0, Kernel.stats().events().grows());
        assertThrows(KernelPanic.class, () -> ks.enter(1000));
    }

    @Test
    void releaseFreesTheStackAndItsPages() {
        KernelStack ks = KernelStack.current();
        ks.enterChecked(6000);
        Kernel.release();
        StackStats s = Kernel.stats();
        assertEquals(0, s.stacks().live());
        assertEquals(0, s.memory().mappedBytes());
        assertEquals(8192, s.memory().peakMappedBytes());
        assertEquals(6000, s.depth().maxBytes());
        assertEquals(1, s.depth().histogram()[5], "6000 bytes falls in the 5..6 KiB bucket");
    }

    @Test
    void stacksOfEndedThreadsAreFreedBeforeTheTotalsAreRead() throws Exception {
        Thread t = Thread.ofPlatform().start(() -> KernelStack.current().enter(100));
        t.join();
        StackStats s = Kernel.stats();
        assertEquals(0, s.stacks().live());
        assertEquals(0, s.memory().mappedBytes());
        assertEquals(1, s.stacks().reaped());
        assertEquals(0, s.stacks().reaperReaped(), "no reaper runs unless the agent starts it");
        assertEquals(0, Kernel.reapTerminated(), "nothing left to reap");
    }

    @Test
    void aStackOfAThreadThatEndedIsFreedBeforeTheNextOneCounts() throws Exception {
        for (int i = 0; i < 3; i++) {
            Thread t = Thread.ofVirtual().start(() -> KernelStack.current().enterChecked(6000));
            t.join();
        }
        Thread.ofPlatform().start(() -> KernelStack.current().enter(100)).join();
        StackStats s = Kernel.stats();
        assertEquals(4, s.stacks().created());
        assertEquals(1, s.stacks().peakLive(), "one thread at a time");
        assertEquals(8192, s.memory().peakMappedBytes(),
                "the deepest thread's two pages, never two threads' pages at once");
        assertEquals(50.0, s.savingPercent());
        assertEquals(4, s.stacks().reaped());
    }

    @Test
    void aStackOfAThreadThatEndedIsFreedBeforeAnotherThreadGrowsPastThePeak() throws Exception {
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch grow = new CountDownLatch(1);
        Thread stays = Thread.ofPlatform().start(() -> {
            KernelStack ks = KernelStack.current();
            created.countDown();
            try {
                grow.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            ks.enterChecked(12000);
        });
        created.await();
        Thread.ofVirtual().start(() -> KernelStack.current().enterChecked(6000)).join();
        grow.countDown();
        stays.join();
        StackStats s = Kernel.stats();
        assertEquals(2, s.stacks().peakLive());
        assertEquals(12288, s.memory().peakMappedBytes(),
                "one page and two; the ended thread's two are freed before the other grows to three (20480 if they"
                + " were not)");
    }

    @Test
    void manyThreadsGiveExactTotals() throws Exception {
        int threads = 16;
        CyclicBarrier allMapped = new CyclicBarrier(threads);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int pages = 1 + i % 4;
            started.add(Thread.ofPlatform().start(() -> Kernel.run(() -> {
                KernelStack ks = KernelStack.current();
                for (int call = 0; call < 10_000; call++) {
                    int saved = ks.enterChecked(pages * 4096 - 16);
                    ks.restore(saved);
                }
                await(allMapped);
            })));
        }
        for (Thread t : started) {
            t.join();
        }
        StackStats s = Kernel.stats();
        assertEquals(threads, s.stacks().created());
        assertEquals(0, s.stacks().live());
        assertEquals(threads, s.stacks().peakLive());
        assertEquals(threads * 10_000L, s.events().checksExecuted());
        assertEquals(4 * (1 + 2 + 3 + 4) * 4096L, s.memory().peakMappedBytes());
        assertEquals(12, s.events().grows(), "threads needing 2, 3 and 4 pages grow once each");
        assertEquals(0, s.memory().mappedBytes());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badConfigurationsAreRejectedWithTheOptionNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DYNAMIC.withInitial(5000));
        assertTrue(e.getMessage().startsWith("initial must be a multiple of page"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DYNAMIC.withPageSize(3000));
        assertThrows(IllegalArgumentException.class, () -> DYNAMIC.withThreadSize(10000));
    }

    @Test
    void perMethodFiguresCountEntriesAndTheDeepestDepthAtEntryAcrossAPark() {
        WovenMethods.Method m = woven("counted");
        KernelStack ks = KernelStack.current();
        int outer = ks.enter(300);
        ks.restore(ks.enter(64, m.id()));
        ks.restore(outer);
        ks.restore(ks.enter(64, m.id()));
        ks.park();
        ks.restore(ks.enter(64, m.id()));
        StackStats.MethodStats figures = figures(m);
        assertEquals(3, figures.entries(), "two handed over at the park, one still on the stack");
        assertEquals(364, figures.maxDepthBytes(), "300 bytes below it and its own 64");
    }

    private static WovenMethods.Method woven(String name) {
        WovenMethods.Method m = new WovenMethods.Method(WovenMethods.nextId(), KernelStackTest.class.getName(), name,
                "()V", 64, false, 0);
        WovenMethods.register(List.of(m));
        return m;
    }

    private static StackStats.MethodStats figures(WovenMethods.Method m) {
        return Kernel.stats().methods().stream().filter(s -> s.method().equals(m)).findFirst().orElseThrow();
    }
}

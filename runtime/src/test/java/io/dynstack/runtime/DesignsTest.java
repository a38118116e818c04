package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 2026 thread's designs, driven by hand through park, wake, kernel entry and growth, with the
 * figures worked out page by page (THREAD_SIZE 16384, pages of 4096).
 */
class DesignsTest {

    private static final StackConfig FIXED = StackConfig.DEFAULT.withInitial(16384);

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    private static DesignStats design() {
        return Kernel.stats().design();
    }

    @Test
    void releaseAtIdleGivesTheWholeStackBackInFutexWaitAndTakesItAgainAtWake() {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withIdle(StackDesign.Idle.RELEASE)));
        KernelStack ks = KernelStack.current();
        ks.enter(896);
        Kernel.waitIn(Wait.FUTEX);
        ks.park();
        assertEquals(0, Kernel.stats().memory().mappedBytes(), "all four pages given back");
        assertEquals(16384, Kernel.stats().memory().releasedBytes());
        assertEquals(256, design().inUse().keptBytes(), "pt_regs and the wait record");
        assertEquals(0, design().inUse().stacks());
        ks.wake();
        assertEquals(16384, ks.mappedBytes());
        assertEquals(1, design().allocations().wake().count());
        assertEquals(4, design().allocations().wake().pages());
        assertEquals(0, design().inUse().keptBytes());
        assertEquals(1, design().inUse().stacks());
        assertEquals(0, design().allocations().stalls());
    }

    @Test
    void releaseAtIdleKeepsTheStackOfAThreadSleepingAnywhereElse() {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withIdle(StackDesign.Idle.RELEASE)));
        KernelStack ks = KernelStack.current();
        ks.enter(896);
        Kernel.waitIn(Wait.FUTEX);
        ks.park();
        ks.wake();
        ks.park();
        assertEquals(16384, ks.mappedBytes(), "a wake forgets the futex: the next sleep is a kernel sleep");
        ks.wake();
        Kernel.waitIn(Wait.EPOLL);
        ks.park();
        assertEquals(0, ks.mappedBytes(), "epoll wait is a common idle point too");
        assertEquals(0, design().inUse().stacks());
        assertEquals(1, design().inUse().peakStacks());
    }

    @Test
    void noMemoryAtWakeIsAStall() {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withIdle(StackDesign.Idle.RELEASE).withFreePages(3)));
        KernelStack ks = KernelStack.current();
        ks.enter(896);
        Kernel.waitIn(Wait.FUTEX);
        ks.park();
        assertEquals(3, design().freePagesLeft(), "what a stack gives back is taken by others under pressure");
        ks.wake();
        assertEquals(1, design().allocations().stalls(), "4 pages needed, 3 free: the wake waits for reclaim");
        assertEquals(3, design().freePagesLeft(), "an allocation that cannot be met whole takes nothing");
        assertEquals(16384, ks.mappedBytes(), "after the stall reclaim has found the pages");
    }

    @Test
    void multiplexingHoldsAStackFromKernelEntryToTheReturnToUser() {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withIdle(StackDesign.Idle.MULTIPLEX)));
        Kernel.enterFromUser();
        KernelStack ks = KernelStack.current();
        assertEquals(16384, ks.mappedBytes(), "the first entry creates the stack");
        Kernel.exitToUser();
        assertEquals(0, ks.mappedBytes());
        assertEquals(0, design().inUse().stacks());
        assertEquals(256, design().inUse().keptBytes());
        Kernel.enterFromUser();
        assertEquals(1, design().allocations().entry().count());
        assertEquals(4, design().allocations().entry().pages());
        int saved = ks.enter(896);
        Kernel.waitIn(Wait.EPOLL);
        ks.park();
        assertEquals(16384, ks.mappedBytes(), "epoll wait is not restartable: the sleeper keeps its stack");
        ks.wake();
        Kernel.waitIn(Wait.FUTEX);
        ks.park();
        assertEquals(0, ks.mappedBytes(), "a futex wait is redone from user space: no stack while asleep");
        ks.wake();
        assertEquals(1, design().allocations().wake().count());
        ks.restore(saved);
        Kernel.exitToUser();
        assertEquals(0, Kernel.stats().memory().mappedBytes());
        assertEquals(1, design().inUse().peakStacks());
    }

    @Test
    void noMemoryAtKernelEntryIsAStall() {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withIdle(StackDesign.Idle.MULTIPLEX).withFreePages(0)));
        Kernel.enterFromUser();
        Kernel.exitToUser();
        Kernel.enterFromUser();
        assertEquals(1, design().allocations().stalls());
        assertEquals(1, design().allocations().entry().count());
    }

    @Test
    void hansenReclaimsUntouchedPagesAtSwitchOutAndMapsThemAtSwitchIn() {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withReclaim(StackDesign.Reclaim.SWITCH)));
        KernelStack ks = KernelStack.current();
        int saved = ks.enter(5000);
        ks.restore(saved);
        ks.enter(896);
        ks.park();
        assertEquals(8192, ks.mappedBytes(), "depth 5000 touched the top two pages; the other two go");
        assertEquals(8192, design().reclaim().bytes());
        assertEquals(1, design().reclaim().shootdowns());
        ks.wake();
        assertEquals(16384, ks.mappedBytes(), "running, all of THREAD_SIZE is mapped again");
        assertEquals(1, design().allocations().switchIn().count());
        assertEquals(2, design().allocations().switchIn().pages());
        ks.park();
        assertEquals(8192, ks.mappedBytes(), "the one-way latch: a page once touched is kept for good");
        assertEquals(2, design().reclaim().shootdowns());
    }

    @Test
    void noMemoryAtSwitchInIsAStallInsideSchedule() {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withReclaim(StackDesign.Reclaim.SWITCH).withFreePages(2)));
        KernelStack ks = KernelStack.current();
        ks.enter(896);
        ks.park();
        ks.wake();
        assertEquals(1, design().allocations().stalls(), "3 reclaimed pages to map again, 2 free");
        assertEquals(3, design().allocations().switchIn().pages());
    }

    @Test
    void theShrinkerReclaimsFromEverySwitchedOutThreadWithOneShootdown() throws InterruptedException {
        Kernel.configure(FIXED.withDesign(StackDesign.NONE.withReclaim(StackDesign.Reclaim.SHRINKER)));
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        // The other thread stays alive, parked, so that no sweep of ended threads frees its stack.
        Thread other = new Thread(() -> {
            KernelStack ks = KernelStack.current();
            ks.enter(896);
            ks.park();
            parked.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        parked.await();
        KernelStack ks = KernelStack.current();
        ks.enter(4500);
        ks.park();
        assertEquals(2 * 16384, Kernel.stats().memory().mappedBytes(), "nothing goes before the shrinker passes");
        assertEquals(2, Kernel.shrink());
        assertEquals(4096 + 8192, Kernel.stats().memory().mappedBytes(),
                "one page kept by the first, two by the second");
        assertEquals(1, design().reclaim().shootdowns());
        assertEquals(0, Kernel.shrink(), "nothing untouched is left");
        ks.wake();
        assertEquals(0, Kernel.shrink(), "a thread switched in again is not the shrinker's");
        assertEquals(1, design().reclaim().shootdowns());
        done.countDown();
        other.join();
    }

    @Test
    void growthTakesTheCpusSparesThenTheStashUnderItsLock() {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW).withDesign(StackDesign.NONE.withSpares(3, 8)));
        assertEquals((3 + 8) * 4096, design().spares().bytes());
        KernelStack first = KernelStack.current();
        first.enter(13000);
        assertEquals(3, design().spares().sparePagesTaken(), "depth 13000 needs the three pages below the first");
        Kernel.release();
        KernelStack second = KernelStack.current();
        second.enter(5000);
        assertEquals(1, design().spares().stashPagesTaken(), "CPU 0's spares are empty: the stash's lock is taken");
        assertEquals(1, design().spares().stashLocks());
        assertEquals(7 * 4096, design().spares().bytes());
        second.park();
        assertEquals(11 * 4096, design().spares().bytes(),
                "leaving the CPU refills its spares, and the irq_work the stash");
        assertEquals(2, design().spares().stashLocks());
        assertEquals(2, design().refills().found());
        assertEquals((3 + 8) * 4096, design().spares().capacityBytes());
    }

    @Test
    void withSparesAndStashEmptyTheFaultPathPanics() {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW).withDesign(StackDesign.NONE.withSpares(1, 1)));
        KernelStack ks = KernelStack.current();
        KernelPanic panic = assertThrows(KernelPanic.class, () -> ks.enter(13000));
        assertEquals("no spare page for stack growth in the fault path: a kernel frame (frame 13000) at depth 13000"
                + " needs 3 page(s) and the spares of CPU 0 and the global stash are empty", panic.headline());
        assertEquals(1, design().spares().stashLocks());
        assertEquals(4096, ks.mappedBytes());
    }

    @Test
    void noMemoryForARefillLeavesTheSparesShort() {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW)
                .withDesign(StackDesign.NONE.withSpares(3, 0).withFreePages(1)));
        KernelStack ks = KernelStack.current();
        ks.enter(9000);
        ks.park();
        assertEquals(1, design().refills().failed(), "two pages to refill, one free");
        assertEquals(4096, design().spares().bytes());
        assertEquals(1, design().freePagesLeft());
    }

    @Test
    void noMemoryForGrowthInNoSleepCodeIsAPanicAndElsewhereAStall() {
        Kernel.configure(StackConfig.DEFAULT.withDesign(StackDesign.NONE.withFreePages(1)));
        KernelStack ks = KernelStack.current();
        int saved = ks.enterChecked(5000);
        assertEquals(0, design().freePagesLeft(), "the one free page");
        ks.restore(saved);
        saved = ks.enterChecked(9000);
        assertEquals(1, design().allocations().stalls(), "outside no-sleep code growth waits for reclaim");
        assertEquals(12288, ks.mappedBytes());
        ks.restore(saved);
        ks.noSleepEnter();
        KernelPanic panic = assertThrows(KernelPanic.class, () -> ks.enterChecked(13000));
        assertEquals("no memory for stack growth in atomic context: a kernel frame (frame 13000) at depth 13000 needs"
                + " 1 page(s) and the machine has no free page", panic.headline());
    }

    @Test
    void noMemoryForAReserveRefillLeavesTheReserveEmpty() {
        Kernel.configure(StackConfig.DEFAULT.withReservePages(1).withDesign(StackDesign.NONE.withFreePages(0)));
        KernelStack ks = KernelStack.current();
        ks.noSleepEnter();
        ks.enterChecked(5000);
        ks.noSleepExit();
        assertEquals(1, design().refills().failed());
        assertEquals(0, Kernel.stats().memory().reserveRefills());
        assertEquals(0, Kernel.stats().memory().reserveBytes());
    }
}

package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-CPU reserves, release at park and IRQ stacks, driven through the hot path by hand. */
class PolicyFeaturesTest {

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @Test
    void growthInNoSleepCodeDrawsOnTheCpuReserveUntilItIsEmpty() {
        Kernel.configure(StackConfig.DEFAULT.withCpus(2).withReservePages(1));
        assertEquals(2 * 4096, Kernel.stats().memory().reserveBytes(), "one page per CPU");
        Kernel.bindCpu(1);
        KernelStack ks = KernelStack.current();
        ks.noSleepEnter();
        ks.enterChecked(6000);
        assertEquals(1, Kernel.stats().memory().reservePagesTaken());
        assertEquals(4096, Kernel.stats().memory().reserveBytes(), "CPU 1's page is in use, CPU 0's still waits");
        KernelPanic panic = assertThrows(KernelPanic.class, () -> ks.enterChecked(4000));
        assertTrue(panic.headline().startsWith("no memory for stack growth in atomic context:"), panic.headline());
        assertTrue(panic.headline().endsWith("needs 1 page(s) and the reserve of CPU 1 is empty"), panic.headline());
        assertEquals(16384 - 6000, ks.sp(), "the panic left sp as it was");
    }

    @Test
    void leavingNoSleepCodeRefillsTheReserve() {
        Kernel.configure(StackConfig.DEFAULT.withReservePages(1));
        KernelStack ks = KernelStack.current();
        ks.noSleepEnter();
        ks.noSleepEnter();
        int saved = ks.enterChecked(6000);
        ks.restore(saved);
        ks.noSleepExit();
        assertEquals(0, Kernel.stats().memory().reserveRefills(), "still inside the outer no-sleep frame");
        ks.noSleepExit();
        assertEquals(1, Kernel.stats().memory().reserveRefills());
        assertEquals(4096, Kernel.stats().memory().reserveBytes());
        ks.enterChecked(5000);
        assertEquals(1, Kernel.stats().memory().reservePagesTaken(), "outside no-sleep code growth needs no reserve");
    }

    @Test
    void withoutReservesNoSleepGrowthIsLikeAnyOther() {
        KernelStack ks = KernelStack.current();
        ks.noSleepEnter();
        ks.enterChecked(9000);
        assertEquals(12288, ks.mappedBytes());
        assertEquals(0, Kernel.stats().memory().reservePagesTaken());
    }

    @Test
    void parkingAtAnIdlePointReleasesThePagesBelowSp() {
        Kernel.configure(StackConfig.DEFAULT.withReleaseAtPark(true));
        KernelStack ks = KernelStack.current();
        int saved = ks.enterChecked(9000);
        ks.restore(saved);
        ks.enter(800);
        assertEquals(12288, ks.mappedBytes());
        ks.park();
        assertEquals(4096, ks.mappedBytes(), "sp at depth 800 needs the top page only");
        assertEquals(8192, Kernel.stats().memory().releasedBytes());
        assertEquals(4096, Kernel.stats().memory().mappedBytes());
        assertEquals(12288, Kernel.stats().memory().peakMappedBytes());
    }

    @Test
    void withoutReleaseAtParkParkingKeepsThePages() {
        KernelStack ks = KernelStack.current();
        ks.enterChecked(9000);
        ks.park();
        assertEquals(12288, ks.mappedBytes());
    }

    @Test
    void interruptsRunOnTheCpusIrqStackWhenConfigured() {
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(4096).fixed().withCpus(2).withIrqStacks(true));
        assertEquals(2 * 4096, Kernel.stats().memory().mappedBytes(), "the IRQ stacks are mapped from boot");
        Kernel.bindCpu(1);
        KernelStack task = KernelStack.current();
        task.enter(3000);
        int[] irqDepth = new int[1];
        Kernel.interrupt(() -> {
            KernelStack irq = KernelStack.current();
            irq.enter(2000);
            irqDepth[0] = irq.depth();
        });
        assertEquals(2000, irqDepth[0]);
        assertSame(task, KernelStack.current());
        assertEquals(3000, task.depth());
        assertEquals(2000, Kernel.stats().depth().irqMaxBytes());
        assertEquals(3000, Kernel.stats().depth().maxBytes());
    }

    @Test
    void withoutIrqStacksTheHandlerStacksOnTheTask() {
        KernelStack task = KernelStack.current();
        task.enter(3000);
        int[] depth = new int[1];
        Kernel.interrupt(() -> depth[0] = KernelStack.current().enterChecked(2000));
        assertEquals(16384 - 3000, depth[0], "the handler's frame went on the task stack");
    }
}

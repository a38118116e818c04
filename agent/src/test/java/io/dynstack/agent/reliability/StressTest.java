package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dynstack.agent.WeavingLoader;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.StackStats;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many platform and virtual threads entering, recursing, throwing and catching at once: the totals
 * afterwards are exactly the sum of what each thread does alone, and every stack is freed.
 */
class StressTest {

    private static final int PLATFORM = 24;
    private static final int VIRTUAL = 400;
    private static final int THREADS = PLATFORM + VIRTUAL;

    /** Full rounds reach descend(0): 21 checked frames; every third round throws at level 5 after 16. */
    private static final int CHECKS_PER_THREAD = 10 * 16 + 20 * 21;
    private static final int DEEPEST = 64 + 64 + 21 * 512;
    /** One page at creation; the checks map the second at depth 4,224 and the third at 8,320. */
    private static final int GROWS_PER_THREAD = 2;
    private static final int MAPPED_PER_THREAD = 3 * 4096;

    private final Queue<Throwable> problems = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void fresh() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @Test
    @Timeout(60)
    void platformAndVirtualThreadsAtOnceGiveExactTotalsAndFreeEveryStack() throws Exception {
        Class<?> storm = new WeavingLoader("io.dynstack.testkernel.reliability.", WeaveConfig.DEFAULT)
                .loadClass("io.dynstack.testkernel.reliability.Storm");
        Method task = storm.getMethod("task", CyclicBarrier.class, CyclicBarrier.class, boolean.class);
        CyclicBarrier started = new CyclicBarrier(THREADS);
        CyclicBarrier grown = new CyclicBarrier(THREADS);

        List<Thread> threads = new ArrayList<>();
        int viaRun = 0;
        for (int i = 0; i < THREADS; i++) {
            boolean escape = i % 5 == 0;
            // Half the threads free their stack through Kernel.run; a sweep frees the others' once they end.
            boolean run = i % 2 == 0;
            viaRun += run ? 1 : 0;
            Runnable body = () -> body(task, started, grown, escape);
            Runnable kernelThread = run ? () -> Kernel.run(body) : body;
            threads.add(i < PLATFORM ? Thread.ofPlatform().start(kernelThread) : Thread.ofVirtual().start(kernelThread));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), List.copyOf(problems));

        assertEquals(THREADS - viaRun, Kernel.reapTerminated(), "stacks of threads that did not use Kernel.run");
        StackStats s = Kernel.stats();
        assertEquals(THREADS, s.stacks().created());
        assertEquals(THREADS, s.stacks().peakLive(), "every stack was alive at the first barrier");
        assertEquals(0, s.stacks().live());
        assertEquals(0, s.memory().mappedBytes());
        assertEquals((long) THREADS * MAPPED_PER_THREAD, s.memory().peakMappedBytes(),
                "every stack was fully grown at the second");
        assertEquals((long) THREADS * CHECKS_PER_THREAD, s.events().checksExecuted());
        assertEquals((long) THREADS * GROWS_PER_THREAD, s.events().grows());
        assertEquals(0, s.events().faults());
        assertEquals(0, s.events().panics());
        assertEquals(DEEPEST, s.depth().maxBytes());
        long[] histogram = new long[(DEEPEST - 1) / 1024 + 1];
        histogram[(DEEPEST - 1) / 1024] = THREADS;
        assertArrayEquals(histogram, s.depth().histogram());
    }

    /** One thread's work; whatever goes wrong is collected, and sp must be back at the top when it is done. */
    private void body(Method task, CyclicBarrier started, CyclicBarrier grown, boolean escape) {
        try {
            Object sum = task.invoke(null, started, grown, escape);
            assertFalse(escape, "the task should have thrown");
            assertEquals(20 * 20 - 10, sum, "20 full rounds of 20 levels, 10 caught rounds of -1");
        } catch (InvocationTargetException e) {
            if (!(escape && e.getCause() instanceof IllegalStateException)) {
                problems.add(e.getCause());
            }
        } catch (Throwable t) {
            problems.add(t);
        }
        int sp = KernelStack.current().sp();
        if (sp != StackConfig.DEFAULT.threadSize()) {
            problems.add(new AssertionError(Thread.currentThread() + " ended with sp " + sp));
        }
    }
}

package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every thread finds its own stack, whether it holds the table's one-compare place or not, and
 * never a stack the table no longer maps to it.
 */
class StackTableTest {

    @BeforeEach
    @AfterEach
    void fresh() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @Test
    void eachThreadFindsItsOwnStackBesideTheThreadThatCameFirst() throws Exception {
        KernelStack mine = KernelStack.current();
        AtomicReference<KernelStack> theirs = new AtomicReference<>();
        AtomicReference<KernelStack> theirsAgain = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            theirs.set(KernelStack.current());
            theirs.get().enter(100);
            theirsAgain.set(KernelStack.current());
        });
        other.join();
        assertSame(mine, KernelStack.current());
        assertSame(other, theirs.get().owner());
        assertSame(theirs.get(), theirsAgain.get());
        assertEquals(16384, mine.sp(), "the other thread's frame went on its own stack");
        assertEquals(2, Kernel.stats().stacks().created());
    }

    @Test
    void aFreedStackIsNotFoundAgain() {
        KernelStack first = KernelStack.current();
        Kernel.release();
        assertNull(StackTable.get(Thread.currentThread()));
        KernelStack second = KernelStack.current();
        assertNotSame(first, second);
        assertEquals(2, Kernel.stats().stacks().created());
    }

    @Test
    void aNewRunForgetsTheStacksOfTheLastOne() {
        KernelStack before = KernelStack.current();
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(32768));
        KernelStack after = KernelStack.current();
        assertNotSame(before, after);
        assertEquals(32768, after.threadSize());
    }

    @Test
    void aThreadFindsItsStackOnceTheFirstThreadHasEnded() throws Exception {
        Thread.ofPlatform().start(KernelStack::current).join();
        assertEquals(1, Kernel.reapTerminated());
        KernelStack mine = KernelStack.current();
        assertSame(Thread.currentThread(), mine.owner());
        assertSame(mine, StackTable.get(Thread.currentThread()));
        assertEquals(1, Kernel.stats().stacks().live());
    }
}

package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.Probe;
import io.dynstack.agent.WeavingLoader;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelPanic;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.StackStats;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every exit path of a woven frame, taken from a caller that is not kernel code, leaves sp exactly
 * where it was: a throw, a rethrow, a callee's exception passing through or wrapped, a catch in the
 * same method, the JVM's own StackOverflowError, a panic, static initialisers, constructors,
 * monitors, lambdas and finally. UnwindingTest covers the same in smaller chains.
 */
class ExitPathsTest {

    private static final String PACKAGE = "io.dynstack.testkernel.reliability.";
    private static final int TOP = StackConfig.DEFAULT.threadSize();

    private final WeavingLoader kernel = new WeavingLoader(PACKAGE, WeaveConfig.DEFAULT);

    @BeforeEach
    void fresh() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    private static int sp() {
        return KernelStack.current().sp();
    }

    private Throwable construct(String nested, Object... args) throws ReflectiveOperationException {
        Class<?> c = kernel.loadClass(PACKAGE + "ExitPaths$" + nested);
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = args[i] instanceof Integer ? int.class : args[i].getClass();
        }
        try {
            c.getConstructor(types).newInstance(args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    @Test
    void aThrowCaughtInTheSameMethodSeesItsFrameAndReturnsToTheTop() throws Throwable {
        assertEquals(48, kernel.call("ExitPaths", "catchOwnThrow", 1));
        assertEquals(TOP, sp());
    }

    @Test
    void aRethrowAndAWrappedCalleeExceptionLeaveTheKernelAtTheTop() throws Throwable {
        Probe.recorded();
        assertThrows(IllegalStateException.class, () -> kernel.call("ExitPaths", "rethrowOwn", 1));
        assertEquals(TOP, sp());
        Throwable wrapped = assertThrows(IllegalArgumentException.class, () -> kernel.call("ExitPaths", "wrapCallee", 2));
        assertInstanceOf(IllegalStateException.class, wrapped.getCause());
        assertEquals(TOP, sp());
        assertEquals(List.of(48, 48), Probe.recorded(), "each handler ran at its own frame, the callee's 64 + 32 gone");
    }

    @Test
    void aConstructorWhoseSuperArgumentThrowsRestoresSp() throws Exception {
        assertInstanceOf(IllegalStateException.class, construct("ThrowsBeforeSuper", 3));
        assertEquals(TOP, sp());
    }

    @Test
    void whenTheSuperOrThisConstructorThrowsTheNearestKernelCallerRestoresSp() throws Throwable {
        assertThrows(IllegalArgumentException.class, () -> kernel.call("ExitPaths", "newSuperThrows"));
        assertEquals(TOP, sp());
        assertEquals(32, kernel.call("ExitPaths", "catchDelegateThrows"));
        assertEquals(TOP, sp());
    }

    @Test
    void whenTheSuperConstructorThrowsToACallerOutsideTheKernelTheConstructorsFrameStays() throws Exception {
        // The documented limit: no handler may cover super()/this() itself, so the constructor's
        // 48-byte frame stays until a woven caller unwinds; the next kernel entry sits below it.
        assertInstanceOf(IllegalArgumentException.class, construct("SuperThrows"));
        assertEquals(TOP - 48, sp());
        assertInstanceOf(IllegalArgumentException.class, construct("DelegateThrows"));
        assertEquals(TOP - 96, sp());
    }

    @Test
    void aStaticInitialiserThatThrowsRestoresSpBothTimes() {
        Throwable first = assertThrows(ExceptionInInitializerError.class,
                () -> kernel.call("ExitPaths", "touchBadInit"));
        assertInstanceOf(IllegalStateException.class, first.getCause());
        assertEquals(TOP, sp());
        assertThrows(NoClassDefFoundError.class, () -> kernel.call("ExitPaths", "touchBadInit"));
        assertEquals(TOP, sp());
    }

    @Test
    void synchronizedBlocksAndMethodsReleaseTheMonitorAndSp() throws Throwable {
        assertThrows(IllegalStateException.class, () -> kernel.call("ExitPaths", "throwInSynchronizedBlock", 1));
        assertEquals(TOP, sp());
        assertThrows(IllegalStateException.class, () -> kernel.call("ExitPaths", "throwInSynchronizedMethod", 1));
        assertEquals(TOP, sp());
        assertEquals(64, kernel.call("ExitPaths", "catchInSynchronizedBlock", 1));
        assertEquals(TOP, sp());
        assertEquals(true, kernel.call("ExitPaths", "lockIsFree"));
    }

    @Test
    void aLambdaThrowingThroughJdkCodeRestoresSp() {
        assertThrows(IllegalStateException.class, () -> kernel.call("ExitPaths", "throwInLambda", 5));
        assertEquals(TOP, sp());
    }

    @Test
    void aReturnInFinallySwallowsTheExceptionAndSeesItsOwnFrame() throws Throwable {
        assertEquals(96, kernel.call("ExitPaths", "finallyReturnSwallows", 2));
        assertEquals(TOP, sp());
    }

    @Test
    void stackOverflowErrorCaughtAtEveryLevelOrEscapingLeavesTheTop() throws Throwable {
        int huge = 256 << 20;
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(huge).withInitial(huge));
        int deepest = (Integer) kernel.call("ExitPaths", "overflowCaughtAtEveryLevel", 0);
        assertTrue(deepest > 100, "the JVM overflowed at depth " + deepest);
        assertEquals(huge, sp());
        assertThrows(StackOverflowError.class, () -> kernel.call("ExitPaths", "overflowEscapes", 0));
        assertEquals(huge, sp());
        assertTrue(Kernel.stats().depth().maxBytes() >= 16 * (deepest + 1), "every frame was on the simulated stack");
    }

    @Test
    void theJvmsStackOverflowErrorCaughtOutsideTheKernelPutsSpBackWhereItWasAndCountsExactly() throws Throwable {
        int huge = 256 << 20;
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(huge).fixed());
        KernelStack ks = KernelStack.current();
        int top = ks.enter(256);
        assertThrows(StackOverflowError.class, () -> kernel.call("ExitPaths", "overflowEscapes", 0));
        assertEquals(huge - 256, sp(), "back where it was: below the caller's 256 bytes");
        ks.restore(top);

        StackStats stats = Kernel.stats();
        int reached = (Integer) kernel.call("ExitPaths", "reached");
        assertTrue(reached > 1000, "the JVM overflowed at depth " + reached);
        // Frames 0..reached ran; one more may have entered before the JVM refused to go on.
        int deepest = 256 + 16 * (reached + 1);
        assertTrue(stats.depth().maxBytes() == deepest || stats.depth().maxBytes() == deepest + 16,
                stats.depth().maxBytes() + " bytes deep after " + (reached + 1) + " frames of 16 below 256");
        assertEquals(1, stats.stacks().created());
        assertEquals(huge, stats.memory().mappedBytes());
        assertEquals(0, stats.events().checksExecuted(), "16-byte frames are below the threshold");
        assertEquals(0, stats.events().grows());
        assertEquals(0, stats.events().faults());
        assertEquals(0, stats.events().panics(), "a JVM error is not a simulated panic");
        assertEquals(huge, sp());
    }

    @Test
    void aPanicCaughtByKernelCodeLeavesItsFrameAndThenTheTop() throws Throwable {
        assertEquals(64, kernel.call("ExitPaths", "catchPanic", 20));
        assertEquals(1, Kernel.stats().events().panics());
        assertEquals(TOP, sp());
        assertThrows(KernelPanic.class, () -> kernel.call("ExitPaths", "deep", 20));
        assertEquals(TOP, sp());
    }
}

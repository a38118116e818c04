package io.dynstack.testkernel.reliability;

import io.dynstack.agent.Probe;
import io.dynstack.annotation.Frame;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Kernel code with every way out of a frame that UnwindingTest does not already take: each public
 * method is called from a caller that is not kernel code, so a frame that forgets to restore sp
 * shows up as a stack that is no longer at its top.
 */
public final class ExitPaths {

    private ExitPaths() {
    }

    @Frame(bytes = 32)
    static int fail(int value) {
        throw new IllegalStateException("argument " + value);
    }

    /** Throws and catches in one method: the handler sees this frame. */
    @Frame(bytes = 48)
    public static int catchOwnThrow(int n) {
        try {
            if (n > 0) {
                throw new IllegalStateException("own " + n);
            }
            return n;
        } catch (IllegalStateException e) {
            return Probe.depth();
        }
    }

    /** Catches what it threw itself, records the depth in the handler and rethrows the same exception. */
    @Frame(bytes = 48)
    public static int rethrowOwn(int n) {
        try {
            if (n > 0) {
                throw new IllegalStateException("own " + n);
            }
            return n;
        } catch (IllegalStateException e) {
            Probe.record();
            throw e;
        }
    }

    /** Catches a callee's exception two kernel frames down and throws a new one wrapping it. */
    @Frame(bytes = 48)
    public static int wrapCallee(int n) {
        try {
            return throwInSynchronizedMethod(n);
        } catch (IllegalStateException e) {
            Probe.record();
            throw new IllegalArgumentException("wrapped", e);
        }
    }

    /** The argument of super() throws: the exception leaves the constructor before this is initialised. */
    public static final class ThrowsBeforeSuper extends Base {
        @Frame(bytes = 48)
        public ThrowsBeforeSuper(int value) {
            super(fail(value));
        }
    }

    /** The super constructor, kernel code as well, throws. */
    public static final class SuperThrows extends Base {
        @Frame(bytes = 48)
        public SuperThrows() {
            super(-1);
        }
    }

    /** this() delegation whose target throws after its own super(). */
    public static final class DelegateThrows extends Base {
        @Frame(bytes = 48)
        public DelegateThrows() {
            this(true);
        }

        @Frame(bytes = 64)
        DelegateThrows(boolean fail) {
            super(1);
            if (fail) {
                throw new IllegalArgumentException("after super");
            }
        }
    }

    public static class Base {
        final int value;

        @Frame(bytes = 80)
        Base(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative");
            }
            this.value = value;
        }
    }

    /** A kernel caller of a constructor whose super constructor throws: the exception passes through it. */
    @Frame(bytes = 32)
    public static Object newSuperThrows() {
        return new SuperThrows();
    }

    /** A kernel caller that catches what a this() delegation throws: its handler sees its own frame. */
    @Frame(bytes = 32)
    public static int catchDelegateThrows() {
        try {
            return new DelegateThrows().value;
        } catch (IllegalArgumentException e) {
            return Probe.depth();
        }
    }

    /** A static initialiser that throws: the JVM wraps it in ExceptionInInitializerError. */
    public static final class BadInit {
        static final int VALUE = fail(7);

        private BadInit() {
        }

        @Frame(bytes = 32)
        public static int value() {
            return VALUE;
        }
    }

    @Frame(bytes = 32)
    public static int touchBadInit() {
        return BadInit.value();
    }

    private static final Object LOCK = new Object();

    /** Throws out of a synchronized block: the monitor and sp must both be released. */
    @Frame(bytes = 64)
    public static int throwInSynchronizedBlock(int n) {
        synchronized (LOCK) {
            return fail(n);
        }
    }

    /** A synchronized method that throws. */
    @Frame(bytes = 64)
    public static synchronized int throwInSynchronizedMethod(int n) {
        return fail(n);
    }

    /** Catches inside a synchronized block in the same method: the handler sees its own frame. */
    @Frame(bytes = 64)
    public static int catchInSynchronizedBlock(int n) {
        synchronized (LOCK) {
            try {
                return fail(n);
            } catch (IllegalStateException e) {
                return Probe.depth();
            }
        }
    }

    public static boolean lockIsFree() {
        return !Thread.holdsLock(LOCK);
    }

    /** A lambda body (a woven method of this class) throwing through the JDK's stream code. */
    @Frame(bytes = 48)
    public static int throwInLambda(int n) {
        IntUnaryOperator op = x -> x == n ? fail(x) : x;
        return IntStream.range(0, n + 1).map(op).sum();
    }

    /** A finally block whose return swallows the exception. */
    @Frame(bytes = 96)
    @SuppressWarnings("finally")
    public static int finallyReturnSwallows(int n) {
        try {
            return fail(n);
        } finally {
            return Probe.depth();
        }
    }

    /** Catches the JVM's StackOverflowError at every level and goes on: each handler restores its own frame. */
    @Frame(bytes = 16)
    public static int overflowCaughtAtEveryLevel(int n) {
        try {
            return overflowCaughtAtEveryLevel(n + 1);
        } catch (StackOverflowError e) {
            return n;
        }
    }

    private static int reached;

    /** The JVM's StackOverflowError escapes the kernel entirely; {@link #reached} is the deepest n that ran. */
    @Frame(bytes = 16)
    public static int overflowEscapes(int n) {
        reached = n;
        return overflowEscapes(n + 1) + 1;
    }

    public static int reached() {
        return reached;
    }

    /** A panic thrown by the simulation is an Error like any other: kernel code that catches it sees its frame. */
    @Frame(bytes = 64)
    public static int catchPanic(int n) {
        try {
            return deep(n);
        } catch (Error e) {
            return Probe.depth();
        }
    }

    @Frame(bytes = 1024)
    static int deep(int n) {
        return n == 0 ? Probe.depth() : deep(n - 1);
    }
}

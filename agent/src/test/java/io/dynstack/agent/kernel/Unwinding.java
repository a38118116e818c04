package io.dynstack.agent.kernel;

import io.dynstack.agent.Probe;
import io.dynstack.annotation.Frame;

/** Exceptions thrown through woven frames: every way out of a frame. */
public final class Unwinding {

    private Unwinding() {
    }

    /** Catches what {@code n} frames below throw; records the depth seen in the handler. */
    @Frame(bytes = 256)
    public static int catchBelow(int n) {
        try {
            return thrower(n);
        } catch (IllegalStateException e) {
            Probe.record();
            return -1;
        }
    }

    @Frame(bytes = 128)
    static int thrower(int n) {
        if (n == 0) {
            throw new IllegalStateException("bottom");
        }
        return thrower(n - 1);
    }

    /** Throws straight out of the kernel to a caller that is not kernel code. */
    @Frame(bytes = 64)
    public static int escape(int n) {
        return thrower(n);
    }

    /** A finally block, a rethrow, and a catch inside the same method. */
    @Frame(bytes = 96)
    public static int finallyAndRethrow(int n) {
        try {
            try {
                thrower(n);
            } catch (IllegalStateException e) {
                Probe.record();
                throw new IllegalArgumentException("rethrown", e);
            } finally {
                Probe.record();
            }
        } catch (IllegalArgumentException e) {
            Probe.record();
        }
        return Probe.depth();
    }

    /** The JVM's own StackOverflowError, caught half way up. */
    @Frame(bytes = 16)
    public static int overflowJvm() {
        try {
            return recurse(0);
        } catch (StackOverflowError e) {
            return Probe.depth();
        }
    }

    @Frame(bytes = 16)
    static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    /** A constructor that builds another object in its super() argument, then throws. */
    @Frame(bytes = 16)
    public static int constructorThrows() {
        try {
            new Node(new Object(), true);
        } catch (IllegalStateException e) {
            return Probe.depth();
        }
        return -1;
    }

    @Frame(bytes = 16)
    public static int constructs() {
        return new Node(new Object(), false).depthInside;
    }

    static class Base {
        final Object payload;

        Base(Object payload) {
            this.payload = payload;
        }
    }

    static final class Node extends Base {
        final int depthInside;

        @Frame(bytes = 160)
        Node(Object payload, boolean fail) {
            super(new Object[] {payload, new StringBuilder("x")});
            depthInside = Probe.depth();
            if (fail) {
                throw new IllegalStateException("constructor");
            }
        }
    }
}

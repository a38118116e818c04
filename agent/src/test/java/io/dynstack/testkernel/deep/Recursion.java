package io.dynstack.testkernel.deep;

/** Recursion to the JVM's own stack limit, woven as kernel code or not. */
public final class Recursion {

    private static int depth;

    private Recursion() {
    }

    /** The number of frames of {@link #down} that ran before the JVM refused the next. */
    public static int untilOverflow() {
        depth = 0;
        try {
            down(1);
        } catch (StackOverflowError e) {
            return depth;
        }
        throw new AssertionError("no StackOverflowError");
    }

    private static int down(int n) {
        depth++;
        return down(n + 1) + n;
    }
}

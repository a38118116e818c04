package io.dynstack.agent.kernel;

/** Methods without @Frame, sized by the model from what javac emits. */
public abstract class Modelled {

    static int add(int a, int b) {
        return a + b;
    }

    static long sum(long[] values) {
        long total = 0;
        for (int i = 0; i < values.length; i++) {
            total += values[i];
        }
        return total;
    }

    static int wide(int a, int b, int c, int d, int e, int f, int g, int h) {
        return Math.max(a, Math.max(b, Math.max(c, Math.max(d, Math.max(e, Math.max(f, g)))))) + h;
    }

    abstract int notWoven();
}

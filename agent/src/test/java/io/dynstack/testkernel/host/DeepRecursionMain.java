package io.dynstack.testkernel.host;

import io.dynstack.testkernel.deep.Recursion;

/**
 * How deep a recursion goes before the JVM's own StackOverflowError, in a thread with
 * {@code args[0]} bytes of Java stack: the JVM stack each frame takes, woven or not. It runs
 * {@code args[1]} times and prints the last, so that the JIT has compiled the frames by then.
 */
public final class DeepRecursionMain {

    private DeepRecursionMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        long stackBytes = Long.parseLong(args[0]);
        int runs = Integer.parseInt(args[1]);
        int[] depth = new int[1];
        Thread t = new Thread(null, () -> {
            for (int i = 0; i < runs; i++) {
                depth[0] = Recursion.untilOverflow();
            }
        }, "deep", stackBytes);
        t.start();
        t.join();
        System.out.println("depth " + depth[0]);
    }
}

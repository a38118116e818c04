package io.dynstack.testkernel.host;

import io.dynstack.testkernel.it.ItKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Threads that each run ItKernel.read(10) once (5,488 bytes deep, two pages), never through
 * Kernel.run: {@code sequential} starts each after the previous one has ended, {@code together}
 * keeps them all alive until every one has run. Args: mode, count, platform or virtual.
 */
public final class ThreadsMain {

    private ThreadsMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean together = args[0].equals("together");
        int count = Integer.parseInt(args[1]);
        Thread.Builder builder = args[2].equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform();
        CountDownLatch allRan = new CountDownLatch(together ? count : 0);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread t = builder.start(() -> {
                ItKernel.read(10);
                allRan.countDown();
                try {
                    allRan.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            if (together) {
                threads.add(t);
            } else {
                t.join();
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("ran " + count);
    }
}

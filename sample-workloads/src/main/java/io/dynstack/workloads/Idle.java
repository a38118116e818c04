package io.dynstack.workloads;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where workload threads wait once their kernel work is done, inside the scheduler's idle point,
 * so that a cell can read the stacks while every thread is parked: the steady state the RFC's
 * table measured on idle machines. Not kernel code.
 */
public final class Idle {

    private static volatile CountDownLatch parked = new CountDownLatch(0);
    private static volatile CountDownLatch release = new CountDownLatch(0);

    private Idle() {
    }

    /** Arms the gate for {@code threads} threads. */
    static void expect(int threads) {
        parked = new CountDownLatch(threads);
        release = new CountDownLatch(1);
    }

    /** Called from the scheduler's context switch: waits there until the cell lets threads go. */
    public static void park() {
        parked.countDown();
        awaitRelease();
    }

    /** A thread that panicked never reaches its idle point: it waits outside kernel code instead. */
    static void parkAfterPanic() {
        parked.countDown();
        awaitRelease();
    }

    static boolean awaitAllParked(long seconds) throws InterruptedException {
        return parked.await(seconds, TimeUnit.SECONDS);
    }

    static void releaseAll() {
        release.countDown();
    }

    private static void awaitRelease() {
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

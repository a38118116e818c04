package io.dynstack.workloads.example;

import io.dynstack.runtime.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * A small kernel: four threads each make read() system calls through vfs, a filesystem and the
 * block layer; one of them enters direct reclaim, a deep path that calls expand_stack first.
 * Run it under the agent with {@code kernel=io.dynstack.workloads.example.**}.
 */
public final class Example {

    private Example() {
    }

    public static void main(String[] args) throws InterruptedException {
        int tasks = 4;
        long[] read = new long[tasks];
        // All stacks stay alive until every task is done, so the peak is the same on every run.
        CyclicBarrier done = new CyclicBarrier(tasks);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int task = t;
            threads.add(Thread.ofPlatform().name("task-" + t).start(() -> Kernel.run(() -> {
                for (int i = 0; i < 1000; i++) {
                    read[task] += Syscalls.read(i, task == 0 && i == 500);
                }
                await(done);
            })));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int t = 0; t < tasks; t++) {
            System.out.println("task-" + t + " read " + read[t] + " bytes");
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

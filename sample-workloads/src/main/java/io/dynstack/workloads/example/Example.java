package io.dynstack.workloads.example;

import io.dynstack.runtime.Kernel;
import java.util.ArrayList;
import java.util.List;

/**
 * A small kernel: four threads each make read() system calls through vfs, a filesystem and the
 * block layer; one of them enters direct reclaim, a deep path that calls expand_stack first.
 * Run it under the agent with {@code kernel=io.dynstack.workloads.example.**}.
 */
public final class Example {

    private Example() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean reclaim = t == 0;
            threads.add(Thread.ofPlatform().name("task-" + t).start(() -> Kernel.run(() -> {
                long bytes = 0;
                for (int i = 0; i < 1000; i++) {
                    bytes += Syscalls.read(i, reclaim && i == 500);
                }
                System.out.println(Thread.currentThread().getName() + " read " + bytes + " bytes");
            })));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}

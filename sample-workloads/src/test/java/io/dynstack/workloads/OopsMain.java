package io.dynstack.workloads;

import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelPanic;

/**
 * Runs the first task of a workload with its default parameters on this thread and prints the
 * whole oops if it panics, or {@code no panic}: the full chain, which a cell reduces to its headline.
 */
public final class OopsMain {

    private OopsMain() {
    }

    public static void main(String[] args) {
        Workload workload = Workloads.byName(args[0]);
        Workload.Task task = workload.tasks(workload.defaults()).get(0);
        try {
            Kernel.run(() -> {
                Kernel.bindCpu(task.cpu());
                task.body().run();
            });
            System.out.println("no panic");
        } catch (KernelPanic panic) {
            System.out.println(panic.getMessage());
        }
    }
}

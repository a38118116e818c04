package io.dynstack.workloads;

import java.util.List;
import java.util.Map;

/**
 * A deterministic kernel-like workload: a set of threads, each bound to a simulated CPU, each
 * running kernel code that ends parked at an idle point.
 */
public interface Workload {

    /** One thread of the workload. */
    record Task(String name, int cpu, Runnable body) {
    }

    String name();

    /** The kernel path it models, in one line. */
    String models();

    /** Its parameters with their defaults. */
    Map<String, Integer> defaults();

    /** How many simulated CPUs it runs on, for per-CPU reserves and IRQ stacks. */
    int cpus(Map<String, Integer> params);

    List<Task> tasks(Map<String, Integer> params);

    /** The memory of the device it models, for stacks as a share of it; 0 where no device is modelled. */
    default long deviceBytes(Map<String, Integer> params) {
        return 0;
    }
}

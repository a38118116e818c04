package io.dynstack.workloads;

import io.dynstack.runtime.DesignStats;
import io.dynstack.runtime.Json;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelPanic;
import io.dynstack.runtime.StackStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One cell of the comparison: one workload in this JVM, under whatever policy the agent was given.
 * Runs the workload's threads until all are parked, reads the stacks there, lets them go, and
 * prints one line {@code DYNSTACK-CELL {json}} with the figures.
 */
public final class Cell {

    static final String MARKER = "DYNSTACK-CELL ";
    /** The reference design that savings are measured against, as in the RFC's table. */
    static final int REFERENCE_THREAD_SIZE = 16 * 1024;
    private static final long PARK_TIMEOUT_SECONDS = 600;

    private Cell() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            System.err.println("usage: Cell <workload> [param=value ...]");
            System.exit(2);
        }
        Workload workload;
        Map<String, Integer> params;
        try {
            workload = Workloads.byName(args[0]);
            params = params(workload, List.of(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println("cell: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(MARKER + run(workload, params));
    }

    static Map<String, Integer> params(Workload workload, List<String> overrides) {
        Map<String, Integer> params = new LinkedHashMap<>(workload.defaults());
        for (String override : overrides) {
            int eq = override.indexOf('=');
            String key = eq < 0 ? override : override.substring(0, eq);
            if (eq < 0 || !params.containsKey(key) || !override.substring(eq + 1).matches("\\d{1,9}")) {
                throw new IllegalArgumentException("bad parameter '" + override + "' for " + workload.name()
                        + "; parameters: " + workload.defaults().keySet() + " as name=number");
            }
            params.put(key, Integer.parseInt(override.substring(eq + 1)));
        }
        return params;
    }

    static String run(Workload workload, Map<String, Integer> params) throws InterruptedException {
        List<Workload.Task> tasks = workload.tasks(params);
        // The panic reported is the first task's, not the first in time, so that runs compare.
        AtomicReferenceArray<KernelPanic> panics = new AtomicReferenceArray<>(tasks.size());
        Idle.expect(tasks.size());
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            Workload.Task task = tasks.get(i);
            int index = i;
            threads.add(Thread.ofVirtual().name(task.name()).start(() -> Kernel.run(() -> {
                try {
                    Kernel.bindCpu(task.cpu());
                    task.body().run();
                } catch (KernelPanic panic) {
                    panics.set(index, panic);
                    Idle.parkAfterPanic();
                }
            })));
        }
        boolean parked = Idle.awaitAllParked(PARK_TIMEOUT_SECONDS);
        // The shrinker of hansen-shrinker passes over the idle machine; every other design has none.
        Kernel.shrink();
        StackStats atPark = Kernel.stats();
        Idle.releaseAll();
        for (Thread thread : threads) {
            thread.join();
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        StackStats end = Kernel.stats();
        KernelPanic panic = null;
        for (int i = 0; i < tasks.size() && panic == null; i++) {
            panic = panics.get(i);
        }
        long reserveCapacity = end.config().reserves()
                ? (long) end.config().cpus() * end.config().reservePages() * end.config().pageSize() : 0;
        DesignStats parkedDesign = atPark.design();
        DesignStats d = end.design();
        return new Json().beginObject()
                .member("workload", workload.name())
                .member("status", !parked ? "error" : panic != null ? "panic" : "ok")
                .member("stacks", atPark.stacks().live())
                .member("base_bytes", atPark.stacks().live() * REFERENCE_THREAD_SIZE)
                .member("mapped_bytes", atPark.memory().mappedBytes() + atPark.memory().reserveBytes()
                        + parkedDesign.spares().bytes() + parkedDesign.inUse().keptBytes())
                .member("peak_bytes", end.memory().peakMappedBytes() + reserveCapacity + d.spares().capacityBytes())
                .member("checks_executed", end.events().checksExecuted())
                .member("grows", end.events().grows())
                .member("faults", end.events().faults())
                .member("panics", end.events().panics())
                .member("expand_calls", end.events().expandCalls())
                .member("released_bytes", end.memory().releasedBytes())
                .member("reserve_pages_taken", end.memory().reservePagesTaken())
                .member("reserve_refills", end.memory().reserveRefills())
                .member("max_depth_bytes", Math.max(end.depth().maxBytes(), end.depth().irqMaxBytes()))
                .member("stacks_in_use", parkedDesign.inUse().stacks())
                .member("peak_stacks_in_use", d.inUse().peakStacks())
                .member("kept_bytes", parkedDesign.inUse().keptBytes())
                .member("wake_allocations", d.allocations().wake().count())
                .member("wake_pages", d.allocations().wake().pages())
                .member("entry_allocations", d.allocations().entry().count())
                .member("entry_pages", d.allocations().entry().pages())
                .member("switch_in_allocations", d.allocations().switchIn().count())
                .member("switch_in_pages", d.allocations().switchIn().pages())
                .member("stalls", d.allocations().stalls())
                .member("reclaimed_bytes", d.reclaim().bytes())
                .member("shootdowns", d.reclaim().shootdowns())
                .member("spare_pages_taken", d.spares().sparePagesTaken())
                .member("stash_pages_taken", d.spares().stashPagesTaken())
                .member("stash_locks", d.spares().stashLocks())
                .member("refill_failures", d.refills().failed())
                .member("device_bytes", workload.deviceBytes(params))
                .member("wall_ms", wallMillis)
                .member("panic", panic == null ? (parked ? null : "threads did not park within "
                        + PARK_TIMEOUT_SECONDS + " s") : panic.headline())
                .endObject().toString();
    }
}

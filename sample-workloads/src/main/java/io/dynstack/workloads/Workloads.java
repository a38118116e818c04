package io.dynstack.workloads;

import static io.dynstack.workloads.kernel.Syscalls.EPOLL_WAIT;
import static io.dynstack.workloads.kernel.Syscalls.FUTEX_WAIT;
import static io.dynstack.workloads.kernel.Syscalls.IOCTL_CHAIN;
import static io.dynstack.workloads.kernel.Syscalls.KVM_RUN;
import static io.dynstack.workloads.kernel.Syscalls.OPENAT;
import static io.dynstack.workloads.kernel.Syscalls.POLL;
import static io.dynstack.workloads.kernel.Syscalls.READ;
import static io.dynstack.workloads.kernel.Syscalls.READ_IRQ;
import static io.dynstack.workloads.kernel.Syscalls.WRITE;
import static io.dynstack.workloads.kernel.Syscalls.WRITE_RECLAIM;
import static io.dynstack.workloads.kernel.Syscalls.WRITE_STACKED;

import io.dynstack.workloads.Workload.Task;
import io.dynstack.workloads.kernel.Kthreads;
import io.dynstack.workloads.kernel.Syscalls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/** The workloads, by name, in the order the comparison runs them. */
public final class Workloads {

    private record Defined(String name, String models, Map<String, Integer> defaults,
                           ToIntFunction<Map<String, Integer>> cpus,
                           Function<Map<String, Integer>, List<Task>> tasks) implements Workload {
        @Override
        public int cpus(Map<String, Integer> params) {
            return cpus.applyAsInt(params);
        }

        @Override
        public List<Task> tasks(Map<String, Integer> params) {
            return tasks.apply(params);
        }
    }

    private static final Map<String, Workload> ALL = new LinkedHashMap<>();

    static {
        add(new Defined("idle-boot",
                "a freshly booted machine: per-CPU kthreads and service threads parked in schedule(), a few deeper",
                Map.of("cpus", 384), p -> p.get("cpus"), Workloads::idleBoot));
        add(new Defined("syscall-mix",
                "read, write, poll and openat through vfs, ext4 and the block layer, then futex wait",
                Map.of("threads", 8, "calls", 2000), p -> p.get("threads"), Workloads::syscallMix));
        add(new Defined("direct-reclaim",
                "writes through overlayfs whose journal allocation enters direct reclaim, swapping to dm-crypt",
                Map.of("threads", 4, "calls", 200), p -> p.get("threads"), Workloads::directReclaim));
        add(new Defined("small-frame-chain",
                "an ioctl whose checked handler calls a long chain of helpers each below the threshold",
                Map.of("threads", 4, "helpers", 100), p -> p.get("threads"), Workloads::smallFrameChain));
        add(new Defined("deep-io",
                "direct writes through nested loop devices to XFS on dm-crypt on NVMe, and KVM_RUN faulting in a file page",
                Map.of("threads", 4, "loops", 8, "calls", 50), p -> p.get("threads"), Workloads::deepIo));
        add(new Defined("interrupts",
                "cold-cache opens whose NVMe completion interrupt and NET_RX softirq arrive at the deepest point of the I/O",
                Map.of("cpus", 4, "calls", 500), p -> p.get("cpus"), Workloads::interrupts));
        add(new Defined("many-idle",
                "many threads parked in futex wait: the millions-of-threads case",
                Map.of("threads", 10_000), p -> 1, Workloads::manyIdle));
        add(SnapshotWorkload.shipped());
    }

    private Workloads() {
    }

    private static void add(Workload w) {
        ALL.put(w.name(), w);
    }

    public static List<Workload> all() {
        return List.copyOf(ALL.values());
    }

    /** A workload by name; {@code snapshot:FILE} replays the snapshot in FILE. */
    public static Workload byName(String name) {
        if (name.startsWith(SnapshotWorkload.PREFIX) && name.length() > SnapshotWorkload.PREFIX.length()) {
            return SnapshotWorkload.file(name.substring(SnapshotWorkload.PREFIX.length()));
        }
        Workload w = ALL.get(name);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload '" + name + "'; workloads: " + String.join(", ", ALL.keySet())
                    + ", or snapshot:FILE");
        }
        return w;
    }

    private static void syscall(int nr, int arg) {
        Syscalls.entrySyscall64(nr, arg);
    }

    private static List<Task> idleBoot(Map<String, Integer> p) {
        List<Task> tasks = new ArrayList<>();
        for (int cpu = 0; cpu < p.get("cpus"); cpu++) {
            for (String name : List.of("ksoftirqd", "migration", "cpuhp")) {
                tasks.add(new Task(name + "/" + cpu, cpu, () -> Kthreads.retFromFork(Kthreads.SMPBOOT)));
            }
            for (String name : List.of(":0", ":0H", ":1")) {
                tasks.add(new Task("kworker/" + cpu + name, cpu, () -> Kthreads.retFromFork(Kthreads.WORKER)));
            }
            for (int i = 0; i < 6; i++) {
                int key = i;
                tasks.add(new Task("service-futex-" + cpu + "-" + i, cpu, () -> syscall(FUTEX_WAIT, key)));
            }
            for (int i = 0; i < 3; i++) {
                tasks.add(new Task("service-epoll-" + cpu + "-" + i, cpu, () -> syscall(EPOLL_WAIT, 1)));
            }
        }
        tasks.add(new Task("rcu_gp", 0, () -> Kthreads.retFromFork(Kthreads.RCU_GP)));
        tasks.add(new Task("rcu_par_gp", 0, () -> Kthreads.retFromFork(Kthreads.RCU_GP)));
        tasks.add(new Task("kswapd0", 0, () -> Kthreads.retFromFork(Kthreads.KSWAPD)));
        tasks.add(new Task("jbd2/nvme0n1p1-8", 0, () -> Kthreads.retFromFork(Kthreads.JBD2)));
        tasks.add(new Task("jbd2/nvme0n1p2-8", 0, () -> Kthreads.retFromFork(Kthreads.JBD2)));
        tasks.add(new Task("systemd-journald", 0, () -> {
            syscall(WRITE, 4096);
            syscall(EPOLL_WAIT, 1);
        }));
        return tasks;
    }

    private static List<Task> syscallMix(Map<String, Integer> p) {
        int[] calls = {READ, WRITE, POLL, OPENAT};
        return perThread(p.get("threads"), "syscall-mix", i -> () -> {
            for (int k = 0; k < p.get("calls"); k++) {
                int nr = calls[(i + k) % calls.length];
                syscall(nr, nr == OPENAT ? (k % 50 == 0 ? 1 : 0) : 4096);
            }
            syscall(FUTEX_WAIT, i);
        });
    }

    private static List<Task> directReclaim(Map<String, Integer> p) {
        return perThread(p.get("threads"), "writer", i -> () -> {
            for (int k = 0; k < p.get("calls"); k++) {
                syscall(k % 100 == 99 ? WRITE_RECLAIM : WRITE, 4096);
            }
            syscall(FUTEX_WAIT, i);
        });
    }

    private static List<Task> smallFrameChain(Map<String, Integer> p) {
        return perThread(p.get("threads"), "ioctl", i -> () -> {
            syscall(READ, 4096);
            syscall(IOCTL_CHAIN, p.get("helpers"));
            syscall(FUTEX_WAIT, i);
        });
    }

    private static List<Task> deepIo(Map<String, Integer> p) {
        return perThread(p.get("threads"), "io", i -> () -> {
            for (int k = 0; k < p.get("calls"); k++) {
                if (k % 2 == 0) {
                    syscall(WRITE_STACKED, p.get("loops"));
                } else {
                    syscall(KVM_RUN, 4096);
                }
            }
            syscall(FUTEX_WAIT, i);
        });
    }

    private static List<Task> interrupts(Map<String, Integer> p) {
        return perThread(p.get("cpus"), "reader", i -> () -> {
            for (int k = 0; k < p.get("calls"); k++) {
                syscall(k % 5 == 4 ? READ_IRQ : READ, 4096);
            }
            syscall(FUTEX_WAIT, i);
        });
    }

    private static List<Task> manyIdle(Map<String, Integer> p) {
        List<Task> tasks = new ArrayList<>(p.get("threads"));
        for (int i = 0; i < p.get("threads"); i++) {
            int key = i;
            tasks.add(new Task("waiter-" + i, 0, () -> syscall(FUTEX_WAIT, key)));
        }
        return tasks;
    }

    /** One thread per index, thread i on CPU i. */
    private static List<Task> perThread(int threads, String name, IntFunction<Runnable> body) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(new Task(name + "-" + i, i, body.apply(i)));
        }
        return tasks;
    }
}

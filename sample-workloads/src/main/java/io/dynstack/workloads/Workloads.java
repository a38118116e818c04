package io.dynstack.workloads;

import static io.dynstack.workloads.kernel.Syscalls.BINDER_WAIT;
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

import io.dynstack.runtime.Kernel;
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
import java.util.function.ToLongFunction;

/** The workloads, by name, in the order the comparison runs them. */
public final class Workloads {

    private record Defined(String name, String models, Map<String, Integer> defaults,
                           ToIntFunction<Map<String, Integer>> cpus,
                           Function<Map<String, Integer>, List<Task>> tasks,
                           ToLongFunction<Map<String, Integer>> device) implements Workload {
        Defined(String name, String models, Map<String, Integer> defaults, ToIntFunction<Map<String, Integer>> cpus,
                Function<Map<String, Integer>, List<Task>> tasks) {
            this(name, models, defaults, cpus, tasks, p -> 0);
        }

        @Override
        public int cpus(Map<String, Integer> params) {
            return cpus.applyAsInt(params);
        }

        @Override
        public long deviceBytes(Map<String, Integer> params) {
            return device.applyAsLong(params);
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
        add(new Defined("android",
                "a 4 GiB phone: system and app threads in binder, epoll and futex waits, some after direct reclaim",
                Map.of("cpus", 8, "system_threads", 2500, "app_threads", 1200, "unbound_kthreads", 100,
                        "deep_percent", 30, "memory_mib", 4096),
                p -> p.get("cpus"), Workloads::android, p -> (long) p.get("memory_mib") << 20));
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

    /** A workload by name; {@code snapshot:FILE} replays the snapshot in FILE, {@code population:FILE} runs that population. */
    public static Workload byName(String name) {
        if (name.startsWith(SnapshotWorkload.PREFIX) && name.length() > SnapshotWorkload.PREFIX.length()) {
            return SnapshotWorkload.file(name.substring(SnapshotWorkload.PREFIX.length()));
        }
        if (name.startsWith(Population.PREFIX) && name.length() > Population.PREFIX.length()) {
            return Population.file(name.substring(Population.PREFIX.length()));
        }
        Workload w = ALL.get(name);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload '" + name + "'; workloads: " + String.join(", ", ALL.keySet())
                    + ", snapshot:FILE or population:FILE");
        }
        return w;
    }

    /** User space makes a system call: it enters the kernel and, unless it panicked there, comes back. */
    static void syscall(int nr, int arg) {
        Kernel.enterFromUser();
        Syscalls.entrySyscall64(nr, arg);
        Kernel.exitToUser();
    }

    /** The kthreads every CPU has, parked in schedule(): ksoftirqd, migration, cpuhp and three kworkers. */
    private static void addPerCpuKthreads(List<Task> tasks, int cpu) {
        for (String name : List.of("ksoftirqd", "migration", "cpuhp")) {
            tasks.add(new Task(name + "/" + cpu, cpu, () -> Kthreads.retFromForkAsm(Kthreads.SMPBOOT)));
        }
        for (String name : List.of(":0", ":0H", ":1")) {
            tasks.add(new Task("kworker/" + cpu + name, cpu, () -> Kthreads.retFromForkAsm(Kthreads.WORKER)));
        }
    }

    private static List<Task> idleBoot(Map<String, Integer> p) {
        List<Task> tasks = new ArrayList<>();
        for (int cpu = 0; cpu < p.get("cpus"); cpu++) {
            addPerCpuKthreads(tasks, cpu);
            for (int i = 0; i < 6; i++) {
                int key = i;
                tasks.add(new Task("service-futex-" + cpu + "-" + i, cpu, () -> syscall(FUTEX_WAIT, key)));
            }
            for (int i = 0; i < 3; i++) {
                tasks.add(new Task("service-epoll-" + cpu + "-" + i, cpu, () -> syscall(EPOLL_WAIT, 1)));
            }
        }
        tasks.add(new Task("rcu_gp", 0, () -> Kthreads.retFromForkAsm(Kthreads.RCU_GP)));
        tasks.add(new Task("rcu_par_gp", 0, () -> Kthreads.retFromForkAsm(Kthreads.RCU_GP)));
        tasks.add(new Task("kswapd0", 0, () -> Kthreads.retFromForkAsm(Kthreads.KSWAPD)));
        tasks.add(new Task("jbd2/nvme0n1p1-8", 0, () -> Kthreads.retFromForkAsm(Kthreads.JBD2)));
        tasks.add(new Task("jbd2/nvme0n1p2-8", 0, () -> Kthreads.retFromForkAsm(Kthreads.JBD2)));
        tasks.add(new Task("systemd-journald", 0, () -> {
            syscall(WRITE, 4096);
            syscall(EPOLL_WAIT, 1);
        }));
        return tasks;
    }

    private static List<Task> syscallMix(Map<String, Integer> p) {
        return perThread(p.get("threads"), "syscall-mix", i -> syscallMixThread(i, p.get("calls")));
    }

    /** Thread i of syscall-mix: read, write, poll and openat in turn from the i-th, then futex wait. */
    static Runnable syscallMixThread(int i, int calls) {
        int[] nrs = {READ, WRITE, POLL, OPENAT};
        return () -> {
            for (int k = 0; k < calls; k++) {
                int nr = nrs[(i + k) % nrs.length];
                syscall(nr, nr == OPENAT ? (k % 50 == 0 ? 1 : 0) : 4096);
            }
            syscall(FUTEX_WAIT, i);
        };
    }

    private static List<Task> directReclaim(Map<String, Integer> p) {
        return perThread(p.get("threads"), "writer", i -> directReclaimThread(i, p.get("calls")));
    }

    /** A writer of direct-reclaim: every 100th write enters direct reclaim, then futex wait. */
    static Runnable directReclaimThread(int i, int calls) {
        return () -> {
            for (int k = 0; k < calls; k++) {
                syscall(k % 100 == 99 ? WRITE_RECLAIM : WRITE, 4096);
            }
            syscall(FUTEX_WAIT, i);
        };
    }

    private static List<Task> smallFrameChain(Map<String, Integer> p) {
        return perThread(p.get("threads"), "ioctl", i -> smallFrameChainThread(i, p.get("helpers")));
    }

    /** A thread of small-frame-chain: a read, the ioctl through its helpers, then futex wait. */
    static Runnable smallFrameChainThread(int i, int helpers) {
        return () -> {
            syscall(READ, 4096);
            syscall(IOCTL_CHAIN, helpers);
            syscall(FUTEX_WAIT, i);
        };
    }

    private static List<Task> deepIo(Map<String, Integer> p) {
        return perThread(p.get("threads"), "io", i -> deepIoThread(i, p.get("loops"), p.get("calls")));
    }

    /** A thread of deep-io: stacked writes through the loop devices alternating with KVM_RUN, then futex wait. */
    static Runnable deepIoThread(int i, int loops, int calls) {
        return () -> {
            for (int k = 0; k < calls; k++) {
                if (k % 2 == 0) {
                    syscall(WRITE_STACKED, loops);
                } else {
                    syscall(KVM_RUN, 4096);
                }
            }
            syscall(FUTEX_WAIT, i);
        };
    }

    private static List<Task> interrupts(Map<String, Integer> p) {
        return perThread(p.get("cpus"), "reader", i -> interruptsThread(i, p.get("calls")));
    }

    /** A reader of interrupts: every fifth read is a cold-cache open that takes the interrupts, then futex wait. */
    static Runnable interruptsThread(int i, int calls) {
        return () -> {
            for (int k = 0; k < calls; k++) {
                syscall(k % 5 == 4 ? READ_IRQ : READ, 4096);
            }
            syscall(FUTEX_WAIT, i);
        };
    }

    private static List<Task> manyIdle(Map<String, Integer> p) {
        List<Task> tasks = new ArrayList<>(p.get("threads"));
        for (int i = 0; i < p.get("threads"); i++) {
            int key = i;
            tasks.add(new Task("waiter-" + i, 0, () -> syscall(FUTEX_WAIT, key)));
        }
        return tasks;
    }

    /**
     * The v2 cover letter's Android device. Per CPU the six kthreads of idle-boot, and unbound
     * kthreads on CPU 0, all in schedule(). User threads, system processes' first and then apps',
     * numbered i from 0, on CPU i % cpus: i % 4 == 0 is a binder pool thread waiting for work,
     * i % 4 == 1 a looper in epoll wait, the rest wait on a futex (ART monitors, thread pools). A
     * thread with i % 100 below deep_percent wrote once through direct reclaim (5.2 KiB deep) before
     * it went to sleep: the 4 GiB device reclaims often.
     */
    private static List<Task> android(Map<String, Integer> p) {
        List<Task> tasks = new ArrayList<>();
        for (int cpu = 0; cpu < p.get("cpus"); cpu++) {
            addPerCpuKthreads(tasks, cpu);
        }
        for (int k = 0; k < p.get("unbound_kthreads"); k++) {
            tasks.add(new Task("kworker/u16:" + k, 0, () -> Kthreads.retFromForkAsm(Kthreads.WORKER)));
        }
        int system = p.get("system_threads");
        for (int i = 0; i < system + p.get("app_threads"); i++) {
            int key = i;
            boolean deep = i % 100 < p.get("deep_percent");
            int wait = switch (i % 4) {
                case 0 -> BINDER_WAIT;
                case 1 -> EPOLL_WAIT;
                default -> FUTEX_WAIT;
            };
            tasks.add(new Task((i < system ? "system-" : "app-") + i, i % p.get("cpus"), () -> {
                if (deep) {
                    syscall(WRITE_RECLAIM, 4096);
                }
                syscall(wait, key);
            }));
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

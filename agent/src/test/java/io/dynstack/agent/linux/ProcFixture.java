package io.dynstack.agent.linux;

import io.dynstack.agent.linux.KernelData.Flag;
import io.dynstack.agent.linux.KernelData.Function;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A /proc tree written by the tests, and the kernel data that prices it. Its figures, worked out
 * by hand with kstack offset none (pt_regs 168, switch frame 56, schedule 32, __schedule 120):
 *
 * <pre>
 * kworker/0:1, kworker/1:0 (kernel, I)  56+120+32 + worker_thread 88 + kthread 64 + ret_from_fork 48
 *                                       + ret_from_fork_asm 16 + pt_regs 168              =  592 each
 * java (user, S), futex_do_wait renamed 56+120+32 + futex_wait_queue 40 + __futex_wait 72 + futex_wait 184
 *                                       + do_futex 96 + __x64_sys_futex 48 + do_syscall_64 56
 *                                       + entry_SYSCALL_64 176 (holds pt_regs)            =  880
 * reader (user, S), unknown name        56+120+32 + mystery_wait 8 (unpriced) + ksys_read 40
 *                                       + do_syscall_64 56 + entry_SYSCALL_64 176         =  488
 * jbd2/sda1-8 (kernel, D)               56+120+32 + jbd2_deep 4200 + kthread 64 + ret_from_fork 48
 *                                       + ret_from_fork_asm 16 + pt_regs 168              = 4704
 * cat (user, R), reading /proc          proc_pid_stack 80 + ksys_read 40 + do_syscall_64 56
 *                                       + entry_SYSCALL_64 176                            =  352
 * (sd-pam) (user, R), in user space     empty listing                                     =    0
 * ghost (user): stack unreadable
 * </pre>
 *
 * 7 threads read, 1 unreadable, 2 CPUs; pages on demand 1+1+1+1+2+1+1 = 8 (32 KiB).
 */
final class ProcFixture {

    static final String RELEASE = "6.18.0-fixture";

    private ProcFixture() {
    }

    static KernelData data() {
        Map<String, int[]> rows = new TreeMap<>();
        rows.put("__schedule", new int[] {120, 64});
        rows.put("schedule", new int[] {32, 0});
        rows.put("worker_thread", new int[] {88, 16});
        rows.put("kthread", new int[] {64, 8});
        rows.put("ret_from_fork", new int[] {48, 0});
        rows.put("ret_from_fork_asm", new int[] {16, 0});
        rows.put("futex_wait_queue", new int[] {40, 0});
        rows.put("__futex_wait", new int[] {72, 24});
        rows.put("futex_wait", new int[] {184, 120});
        rows.put("do_futex", new int[] {96, 32});
        rows.put("__x64_sys_futex", new int[] {48, 0});
        rows.put("do_syscall_64", new int[] {56, 0});
        rows.put("entry_SYSCALL_64", new int[] {176, 0});
        rows.put("ksys_read", new int[] {40, 0});
        rows.put("jbd2_deep", new int[] {4200, 4096});
        rows.put("proc_pid_stack", new int[] {80, 32});
        List<Function> functions = new ArrayList<>();
        rows.forEach((name, frame) -> {
            Set<Flag> flags = name.endsWith("_asm") || name.startsWith("entry_") ? EnumSet.of(Flag.ASSEMBLY) : Set.of();
            functions.add(new Function(name, "vmlinux", frame[0], frame[1], flags, 0, new int[0], new int[0]));
        });
        functions.sort(Comparator.comparing(Function::name));
        return new KernelData(new KernelData.Header("6.12.0-fixture", "-", List.of(), "none"), functions);
    }

    static Path write(Path proc) throws IOException {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), RELEASE + "\n");
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\ncpu0 1 2 3\ncpu1 1 2 3\nintr 0\n");
        Files.createDirectories(proc.resolve("self"));
        List<String> kworker = List.of("worker_thread+0x1b0/0x380", "kthread+0xe4/0x110", "ret_from_fork+0x34/0x50",
                "ret_from_fork_asm+0x1a/0x30");
        thread(proc, 10, 10, "kworker/0:1", 'I', true, kworker);
        thread(proc, 11, 11, "kworker/1:0", 'I', true, kworker);
        thread(proc, 100, 100, "java", 'S', false, List.of("futex_do_wait+0x46/0x90", "__futex_wait+0x8a/0x100",
                "futex_wait+0x67/0x120", "do_futex+0xfd/0x250", "__x64_sys_futex+0x112/0x210",
                "do_syscall_64+0x71/0x280", "entry_SYSCALL_64_after_hwframe+0x76/0x7e"));
        thread(proc, 100, 101, "reader", 'S', false, List.of("mystery_wait+0x10/0x20 [mymod]", "ksys_read+0xba/0xe0",
                "do_syscall_64+0x71/0x280", "entry_SYSCALL_64_after_hwframe+0x76/0x7e"));
        thread(proc, 120, 120, "jbd2/sda1-8", 'D', true, List.of("jbd2_deep+0x2f0/0x310", "kthread+0xe4/0x110",
                "ret_from_fork+0x34/0x50", "ret_from_fork_asm+0x1a/0x30"));
        thread(proc, 200, 200, "cat", 'R', false, List.of("proc_pid_stack+0xc4/0x120", "ksys_read+0xba/0xe0",
                "do_syscall_64+0x71/0x280", "entry_SYSCALL_64_after_hwframe+0x76/0x7e"));
        thread(proc, 201, 201, "(sd-pam)", 'R', false, List.of());
        Path ghost = proc.resolve("300/task/300");
        Files.createDirectories(ghost.resolve("stack"));
        Files.writeString(ghost.resolve("stat"), stat(300, "ghost", 'S', false));
        return proc;
    }

    static void thread(Path proc, int pid, int tid, String comm, char state, boolean kernel, List<String> frames)
            throws IOException {
        Path dir = proc.resolve(pid + "/task/" + tid);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("stat"), stat(tid, comm, state, kernel));
        StringBuilder stack = new StringBuilder();
        for (String frame : frames) {
            stack.append("[<0>] ").append(frame).append('\n');
        }
        Files.writeString(dir.resolve("stack"), stack);
    }

    private static String stat(int tid, String comm, char state, boolean kernel) {
        long flags = kernel ? 0x00208040L : 0x00400040L;
        return tid + " (" + comm + ") " + state + " 2 0 0 0 -1 " + flags + " 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n";
    }
}

package io.dynstack.agent.linux;

import io.dynstack.agent.linux.KernelData.Flag;
import io.dynstack.agent.linux.KernelData.Function;
import io.dynstack.agent.linux.Snapshot.Frame;
import io.dynstack.agent.linux.Snapshot.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a chain read from /proc becomes bytes on an x86-64 kernel stack: each listed function at
 * its full frame from the kernel data file, plus what /proc leaves out.
 *
 * <pre>
 * top of stack  +------------------------+
 *               | pt_regs          168   |  user registers (syscall entry) or the fork frame's regs
 *               | entry, listed frames   |  each at its full frame, return address included
 *               | kstack offset  0..1016 |  alloca in do_syscall_64 (option: none, mean, worst)
 *               | ...listed frames       |  innermost listed one: where it called schedule()
 *               | schedule, __schedule   |  .sched.text: /proc never lists these
 *               | switch frame      56   |  inactive_task_frame pushed by __switch_to_asm
 *          sp   +------------------------+
 * </pre>
 *
 * <ul>
 *   <li>pt_regs (21 registers of 8 bytes, arch/x86/include/asm/ptrace.h) is at the top of every
 *       task's stack, kernel threads' too (copy_thread's fork_frame). When the outermost listed
 *       frame is hand-written entry code whose data frame is already at least that large, the
 *       extractor counted the registers in it, and they are not added again.
 *   <li>The scheduler: /proc/PID/stack skips functions in .sched.text, so a sleeping thread's
 *       listing ends at the function that called into the scheduler. Added: schedule() and
 *       __schedule() from the data file, and struct inactive_task_frame (r15, r14, r13, r12, rbx,
 *       rbp and the return address: 56 bytes, arch/x86/include/asm/switch_to.h). Other .sched.text
 *       functions a chain may pass through (schedule_timeout, do_nanosleep, mutex and rwsem slow
 *       paths) are not seen, so such a chain is a little deeper than priced. Every thread with a
 *       listing is switched out, woken and preempted ones (state R) too, except one reading /proc
 *       itself (innermost {@code proc_pid_stack}): that one is running and gets none of this.
 *   <li>Stack-offset randomisation (CONFIG_RANDOMIZE_KSTACK_OFFSET): each syscall allocates
 *       {@code offset & 0x3FF} bytes below do_syscall_64's frame, and the 8-byte stack alignment
 *       drops the 3 low bits: 0 to 1016 bytes in steps of 8, mean 508. Kernels that still pass
 *       {@code rdtsc() & 0xFF} use at most 248.
 *   <li>A listed name with no row in the data file, even after {@link #ALIASES}, is unpriced:
 *       counted as its return address (8 bytes), listed by the snapshot, never dropped.
 * </ul>
 */
public final class StackPricing {

    public static final int PT_REGS = 168;
    public static final int SWITCH_FRAME = 56;
    public static final int RETURN_ADDRESS = 8;
    public static final int THREAD_SIZE = 16 * 1024;

    /** The kstack offset a syscall chain is priced with. */
    public enum KstackOffset {
        NONE(0), MEAN(508), WORST(1016);

        public final int bytes;

        KstackOffset(int bytes) {
            this.bytes = bytes;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The scheduler functions below the innermost listed frame, outermost first. */
    static final List<String> SCHEDULER = List.of("schedule", "__schedule");

    /** Where syscall entry allocates the random offset. */
    static final Set<String> SYSCALL_ENTRIES = Set.of("do_syscall_64", "do_int80_syscall_32", "do_fast_syscall_32",
            "do_int80_emulation");

    /**
     * Names /proc prints that are not the data file's name for the same code, newer name first.
     * Only where the code is the same and the name is what changed; each entry says how that
     * is known. Applied only when the name itself has no row.
     */
    public static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        // SYM_INNER_LABEL in arch/x86/entry/entry_64.S: a global label inside entry_SYSCALL_64,
        // so return addresses past it resolve to the label.
        ALIASES.put("entry_SYSCALL_64_after_hwframe", "entry_SYSCALL_64");
        ALIASES.put("entry_SYSCALL_64_safe_stack", "entry_SYSCALL_64");
        // kernel/futex/waitwake.c: __futex_wait() calls futex_wait_queue() in 6.12 and futex_do_wait()
        // at the same point in later kernels (6.18 lists __futex_wait -> futex_do_wait).
        ALIASES.put("futex_do_wait", "futex_wait_queue");
        // fs/pipe.c: the pipe read and write paths, pipe_read()/pipe_write() in 6.12, named
        // anon_pipe_read()/anon_pipe_write() in later kernels (6.18 lists vfs_read -> anon_pipe_read).
        ALIASES.put("anon_pipe_read", "pipe_read");
        ALIASES.put("anon_pipe_write", "pipe_write");
    }

    private final KernelData data;
    private final Map<String, Integer> index;
    private final KstackOffset offset;

    public StackPricing(KernelData data, KstackOffset offset) {
        this.data = data;
        this.index = data.indexByName();
        this.offset = offset;
    }

    public KstackOffset offset() {
        return offset;
    }

    public Snapshot.Pricing pricing() {
        return new Snapshot.Pricing(THREAD_SIZE, offset.key(), offset.bytes, PT_REGS, SWITCH_FRAME, RETURN_ADDRESS);
    }

    /**
     * The name a line of /proc/PID/stack stands for: {@code [<0>] do_epoll_wait+0x548/0x5a0} is
     * {@code do_epoll_wait}, and so is {@code do_epoll_wait+0x548/0x5a0 [mod]} (module code).
     */
    static String name(String line) {
        String text = line.strip();
        if (text.startsWith("[<")) {
            int end = text.indexOf("] ");
            text = end < 0 ? text : text.substring(end + 2);
        }
        int plus = text.indexOf('+');
        int space = text.indexOf(' ');
        int end = plus >= 0 ? plus : space >= 0 ? space : text.length();
        return text.substring(0, end);
    }

    /** The data file's row for a listed name, through the alias table if need be; null if none. */
    Function resolve(String name) {
        Function f = data.lookup(name, index);
        if (f == null && ALIASES.containsKey(name)) {
            f = data.lookup(ALIASES.get(name), index);
        }
        return f;
    }

    /** The innermost frame of a thread that is reading a stack file: running, not switched out. */
    static final String READING_PROC = "proc_pid_stack";

    /** One thread's frames, innermost first, with what /proc leaves out added. */
    List<Frame> price(List<String> lines) {
        List<Frame> frames = new ArrayList<>();
        if (lines.isEmpty()) {
            return frames;
        }
        List<String> names = new ArrayList<>(lines.size());
        for (String line : lines) {
            names.add(name(line));
        }
        if (!names.get(0).equals(READING_PROC)) {
            frames.add(new Frame("switch_frame", null, SWITCH_FRAME, Kind.SWITCH_FRAME));
            int listed = SCHEDULER.indexOf(names.get(0));
            for (int i = (listed < 0 ? SCHEDULER.size() : listed) - 1; i >= 0; i--) {
                frames.add(lookup(SCHEDULER.get(i), Kind.SCHEDULER));
            }
        }
        Function outermost = null;
        for (String name : names) {
            Frame frame = lookup(name, Kind.LISTED);
            if (offset.bytes > 0 && SYSCALL_ENTRIES.contains(KernelData.baseName(name))) {
                frames.add(new Frame("kstack_offset", null, offset.bytes, Kind.KSTACK_OFFSET));
            }
            frames.add(frame);
            outermost = frame.function() == null ? null : resolve(name);
        }
        boolean inEntryFrame = outermost != null && outermost.has(Flag.ASSEMBLY) && outermost.full() >= PT_REGS;
        if (!inEntryFrame) {
            frames.add(new Frame("pt_regs", null, PT_REGS, Kind.PT_REGS));
        }
        return frames;
    }

    private Frame lookup(String name, Kind kind) {
        Function f = resolve(name);
        return f == null ? new Frame(name, null, RETURN_ADDRESS, Kind.UNPRICED) : new Frame(name, f.name(), f.full(), kind);
    }
}

package io.dynstack.agent.linux;

import io.dynstack.agent.linux.Snapshot.Chain;
import io.dynstack.agent.linux.Snapshot.Frame;
import io.dynstack.agent.linux.Snapshot.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The RFC's table for one snapshot, with the depth histogram, the deepest chains and the unpriced names. */
public final class SnapshotTable {

    /**
     * A stack design, named as in the comparison, and what it maps for a thread this deep.
     *
     * @param threadSize       bytes a stack may use
     * @param onDemand         maps pages as the stack grows instead of all of threadSize
     * @param releasesAtSleep  gives back the pages below sp when the thread sleeps
     * @param reservePerCpu    pages each CPU keeps in reserve
     * @param irqStackPerCpu   bytes of IRQ stack each CPU has, all mapped
     */
    public record Design(String name, int threadSize, boolean onDemand, boolean releasesAtSleep, int reservePerCpu,
                         int irqStackPerCpu) {

        /** What /proc's current depth tells of it: everything, or a floor. */
        public boolean exact() {
            return !onDemand || releasesAtSleep;
        }
    }

    public static final List<Design> DESIGNS = List.of(
            new Design("fixed-16k", 16384, false, false, 0, 0),
            new Design("fixed-8k", 8192, false, false, 0, 0),
            new Design("4k-irq", 4096, false, false, 0, 4096),
            new Design("dynamic-fault", 16384, true, false, 0, 0),
            new Design("dynamic-check", 16384, true, false, 0, 0),
            new Design("dynamic-check+expand", 16384, true, false, 0, 0),
            new Design("dynamic-check+expand+reserve+park", 16384, true, true, 1, 0));

    /** One row of the table. */
    public record Row(Design design, long mappedBytes, int overflows) {
    }

    private SnapshotTable() {
    }

    public static List<Row> rows(Snapshot s) {
        List<Row> rows = new ArrayList<>();
        int cpus = s.machine().cpus();
        for (Design d : DESIGNS) {
            long mapped = (long) cpus * (d.irqStackPerCpu() + (long) d.reservePerCpu() * Snapshot.PAGE);
            int over = 0;
            for (Chain c : s.chains()) {
                int depth = c.depth();
                mapped += (long) c.threads() * (d.onDemand() ? (long) Snapshot.pages(depth) * Snapshot.PAGE : d.threadSize());
                if (depth > d.threadSize()) {
                    over += c.threads();
                }
            }
            rows.add(new Row(d, mapped, over));
        }
        return rows;
    }

    public static String format(Snapshot s, int deepest) {
        StringBuilder out = new StringBuilder();
        int threads = s.threads();
        int kernel = 0;
        int running = 0;
        int empty = 0;
        for (Chain c : s.chains()) {
            kernel += c.kernelThread() ? c.threads() : 0;
            running += c.sleeping() ? 0 : c.threads();
            empty += c.frames().isEmpty() ? c.threads() : 0;
        }
        out.append(String.format(Locale.ROOT, "dynstack snapshot of %s (%d CPUs), taken %s%n",
                s.machine().release(), s.machine().cpus(), s.machine().takenAt()));
        out.append("frames from kernel data ").append(s.data().release());
        if (!s.data().release().equals(s.machine().release())) {
            out.append(": another kernel release than the machine's ").append(s.machine().release())
                    .append(", so the chains are this machine's and the frame sizes that kernel's");
        }
        out.append('\n');
        out.append("what /proc gives: each sleeping thread's current depth, not the deepest it has ever been\n");
        Snapshot.Pricing p = s.pricing();
        out.append(String.format(Locale.ROOT, "added to each chain: pt_regs (%d bytes) at the top unless the entry frame holds"
                        + " it; below the innermost listed frame of a switched-out thread schedule(), __schedule() and the"
                        + " %d-byte switch frame; at syscall entry a kstack offset of %d bytes (%s; --kstack-offset"
                        + " none|mean|worst)%n", p.ptRegsBytes(), p.switchFrameBytes(), p.kstackOffsetBytes(),
                p.kstackOffset()));
        out.append(String.format(Locale.ROOT, "threads: %d read (%d kernel threads, %d user threads; %d runnable (state R),"
                + " %d with an empty listing)", threads, kernel, threads - kernel, running, empty));
        if (s.threadsUnreadable() > 0) {
            out.append(", ").append(s.threadsUnreadable()).append(" unreadable and left out");
        }
        out.append("\n\n");
        String format = "%-34s %7s %10s %10s %8s %9s  %s%n";
        out.append(String.format(Locale.ROOT, format, "design", "stacks", "base KiB", "mapped KiB", "saving", "overflows",
                "figure"));
        long base = (long) threads * StackPricing.THREAD_SIZE;
        for (Row r : rows(s)) {
            Design d = r.design();
            String figure = d.exact() ? "exact" : "lower bound: grows only, so it holds at least the current depth";
            if (d.reservePerCpu() > 0) {
                figure += ", with " + d.reservePerCpu() + " reserve page per CPU";
            }
            if (d.irqStackPerCpu() > 0) {
                figure += ", with a " + d.irqStackPerCpu() / 1024 + " KiB IRQ stack per CPU";
            }
            if (d.releasesAtSleep() && running > 0) {
                figure += " for sleeping threads, a lower bound for the " + running + " runnable";
            }
            out.append(String.format(Locale.ROOT, format, d.name(), threads, base / 1024, r.mappedBytes() / 1024,
                    String.format(Locale.ROOT, "%.2f%%", base == 0 ? 0.0 : 100.0 * (base - r.mappedBytes()) / base),
                    r.overflows(), figure));
        }
        out.append("overflows: threads already deeper than the design's stack\n\n");
        histogram(s, out);
        deepest(s, deepest, out);
        unpriced(s, out);
        return out.toString();
    }

    private static void histogram(Snapshot s, StringBuilder out) {
        TreeMap<Integer, Integer> buckets = new TreeMap<>();
        int most = 1;
        for (Chain c : s.chains()) {
            int kib = Math.max(1, (c.depth() + 1023) / 1024);
            most = Math.max(most, buckets.merge(kib, c.threads(), Integer::sum));
        }
        out.append("depth histogram (threads by current depth, 1 KiB buckets)\n");
        if (buckets.isEmpty()) {
            out.append("  (no threads)\n");
        } else {
            for (int kib = 1; kib <= buckets.lastKey(); kib++) {
                int n = buckets.getOrDefault(kib, 0);
                out.append(String.format(Locale.ROOT, "  up to %2d KiB %7d  %s%n", kib, n,
                        "#".repeat((int) Math.ceil(50.0 * n / most))));
            }
        }
        out.append('\n');
    }

    private static void deepest(Snapshot s, int count, StringBuilder out) {
        List<Chain> sorted = new ArrayList<>(s.chains());
        sorted.sort(Comparator.comparingInt(Chain::depth).reversed());
        int shown = Math.min(count, sorted.size());
        out.append("deepest ").append(shown == 1 ? "chain" : shown + " chains").append('\n');
        for (int i = 0; i < shown; i++) {
            Chain c = sorted.get(i);
            out.append(String.format(Locale.ROOT, "  %d bytes: %d %s thread%s in state %s: %s%n", c.depth(), c.threads(),
                    c.kernelThread() ? "kernel" : "user", c.threads() == 1 ? "" : "s", c.state(), names(c.comms())));
            out.append("     depth  frame  function\n");
            int depth = c.depth();
            for (Frame f : c.frames()) {
                String what = switch (f.kind()) {
                    case LISTED -> f.name().equals(f.function()) ? f.name() : f.name() + " (as " + f.function() + ")";
                    case UNPRICED -> f.name() + " (unpriced: return address only)";
                    case SCHEDULER -> f.name() + " (scheduler, not listed by /proc)";
                    case SWITCH_FRAME -> "[switch frame: inactive_task_frame]";
                    case PT_REGS -> "[pt_regs]";
                    case KSTACK_OFFSET -> "[kstack offset]";
                };
                out.append(String.format(Locale.ROOT, "    %6d %6d  %s%n", depth, f.bytes(), what));
                depth -= f.bytes();
            }
        }
        out.append('\n');
    }

    private static void unpriced(Snapshot s, StringBuilder out) {
        Map<String, Integer> names = unpricedNames(s);
        if (names.isEmpty()) {
            out.append("unpriced names: none\n");
            return;
        }
        int threads = 0;
        for (Chain c : s.chains()) {
            if (c.frames().stream().anyMatch(f -> f.kind() == Kind.UNPRICED)) {
                threads += c.threads();
            }
        }
        out.append(String.format(Locale.ROOT, "unpriced names: %d, in %d threads (no row in the data file, not even"
                + " through an alias; each counted as its %d-byte return address)%n", names.size(), threads,
                s.pricing().unpricedFrameBytes()));
        names.forEach((name, n) -> out.append(String.format(Locale.ROOT, "  %-40s %6d thread%s%n", name, n,
                n == 1 ? "" : "s")));
    }

    /** Each unpriced name and the threads whose chain has it. */
    public static Map<String, Integer> unpricedNames(Snapshot s) {
        Map<String, Integer> names = new TreeMap<>();
        for (Chain c : s.chains()) {
            c.frames().stream().filter(f -> f.kind() == Kind.UNPRICED).map(Frame::name).distinct()
                    .forEach(name -> names.merge(name, c.threads(), Integer::sum));
        }
        return names;
    }

    private static String names(List<String> comms) {
        return comms.size() <= 4 ? String.join(", ", comms)
                : String.join(", ", comms.subList(0, 4)) + " and " + (comms.size() - 4) + " more";
    }
}

package io.dynstack.runtime.management;

import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.StackStats;
import io.dynstack.runtime.WovenMethods;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The MXBean's implementation: reads {@link Kernel#stats()}; uses no JMX type, so it loads without java.management.
 *
 * <p>Each {@code Kernel.stats()} walks every live stack. A read of one attribute takes the totals
 * anew; a read of many at once (MBeanServer.getAttributes, as jconsole refreshes its
 * attributes) goes through {@link #oneSnapshot}, so that it walks the stacks once and its figures
 * are of one moment. The snapshot lives for that call on its thread, not for a time: no read returns
 * totals taken before it began.
 */
final class KernelView implements KernelMXBean {

    private final Supplier<StackStats> totals;
    /** Inside {@link #oneSnapshot} on this thread: a one-element holder, filled at the first read of the totals. */
    private final ThreadLocal<StackStats[]> snapshot = new ThreadLocal<>();

    KernelView() {
        this(Kernel::stats);
    }

    /** {@code totals} takes the totals now; tests count its calls. */
    KernelView(Supplier<StackStats> totals) {
        this.totals = totals;
    }

    /** Runs {@code reads} on this thread with every attribute reading the same totals, taken at most once. */
    <T> T oneSnapshot(Supplier<T> reads) {
        snapshot.set(new StackStats[1]);
        try {
            return reads.get();
        } finally {
            snapshot.remove();
        }
    }

    private StackStats stats() {
        StackStats[] held = snapshot.get();
        if (held == null) {
            return totals.get();
        }
        if (held[0] == null) {
            held[0] = totals.get();
        }
        return held[0];
    }

    @Override
    public int getThreadSize() {
        return Kernel.config().threadSize();
    }

    @Override
    public int getPageSize() {
        return Kernel.config().pageSize();
    }

    @Override
    public String getFaultPolicy() {
        return Kernel.config().fault().label();
    }

    @Override
    public long getStacks() {
        return stats().stacks().peakLive();
    }

    @Override
    public long getLiveStacks() {
        return stats().stacks().live();
    }

    @Override
    public long getStacksCreated() {
        return stats().stacks().created();
    }

    @Override
    public long getMappedBytes() {
        return stats().memory().mappedBytes();
    }

    @Override
    public long getPeakMappedBytes() {
        return stats().memory().peakMappedBytes();
    }

    @Override
    public long getBaseBytes() {
        return stats().baseBytes();
    }

    @Override
    public double getSavingPercent() {
        return stats().savingPercent();
    }

    @Override
    public long getChecksExecuted() {
        return stats().events().checksExecuted();
    }

    @Override
    public long getGrows() {
        return stats().events().grows();
    }

    @Override
    public long getFaults() {
        return stats().events().faults();
    }

    @Override
    public long getPanics() {
        return stats().events().panics();
    }

    @Override
    public long getExpandCalls() {
        return stats().events().expandCalls();
    }

    @Override
    public int getMaxDepthBytes() {
        return stats().depth().maxBytes();
    }

    @Override
    public long getClassesWoven() {
        return WovenMethods.classesWoven();
    }

    @Override
    public long getMethodsWoven() {
        return WovenMethods.methodsWoven();
    }

    @Override
    public long getChecksInserted() {
        return WovenMethods.checksInserted();
    }

    @Override
    public String writeReport(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("no path given: writeReport needs a file path for the JSON report");
        }
        Path file;
        try {
            file = Path.of(path).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a file path: " + e.getMessage());
        }
        try {
            Report.write(file, totals.get());
        } catch (IOException e) {
            // JDK exception types only: a remote JMX client cannot deserialize ours.
            throw new IllegalStateException("cannot write report " + file + ": " + e
                    + "; check that the directory is writable");
        }
        return file.toString();
    }
}

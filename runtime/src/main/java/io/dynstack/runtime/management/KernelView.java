package io.dynstack.runtime.management;

import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.WovenMethods;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The MXBean's implementation: reads {@link Kernel#stats()}; uses no JMX type, so it loads without java.management. */
final class KernelView implements KernelMXBean {

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
        return Kernel.stats().stacks().peakLive();
    }

    @Override
    public long getLiveStacks() {
        return Kernel.stats().stacks().live();
    }

    @Override
    public long getStacksCreated() {
        return Kernel.stats().stacks().created();
    }

    @Override
    public long getMappedBytes() {
        return Kernel.stats().memory().mappedBytes();
    }

    @Override
    public long getPeakMappedBytes() {
        return Kernel.stats().memory().peakMappedBytes();
    }

    @Override
    public long getBaseBytes() {
        return Kernel.stats().baseBytes();
    }

    @Override
    public double getSavingPercent() {
        return Kernel.stats().savingPercent();
    }

    @Override
    public long getChecksExecuted() {
        return Kernel.stats().events().checksExecuted();
    }

    @Override
    public long getGrows() {
        return Kernel.stats().events().grows();
    }

    @Override
    public long getFaults() {
        return Kernel.stats().events().faults();
    }

    @Override
    public long getPanics() {
        return Kernel.stats().events().panics();
    }

    @Override
    public long getExpandCalls() {
        return Kernel.stats().events().expandCalls();
    }

    @Override
    public int getMaxDepthBytes() {
        return Kernel.stats().depth().maxBytes();
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
            Report.write(file, Kernel.stats());
        } catch (IOException e) {
            // JDK exception types only: a remote JMX client cannot deserialize ours.
            throw new IllegalStateException("cannot write report " + file + ": " + e
                    + "; check that the directory is writable");
        }
        return file.toString();
    }
}

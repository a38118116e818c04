package io.dynstack.runtime.management;

/**
 * The simulated kernel's live totals, registered as {@code io.dynstack:type=Kernel}. Each attribute
 * is the report key of the same meaning (see report.schema.json); each read takes the totals anew,
 * and a read of several attributes at once (MBeanServer.getAttributes) takes them once for all.
 */
public interface KernelMXBean {

    /** THREAD_SIZE in bytes. */
    int getThreadSize();

    /** Growth granule in bytes. */
    int getPageSize();

    /** {@code panic} or {@code grow}. */
    String getFaultPolicy();

    /** The most stacks alive at once ({@code stacks}). */
    long getStacks();

    long getLiveStacks();

    long getStacksCreated();

    long getMappedBytes();

    long getPeakMappedBytes();

    /** Stacks x THREAD_SIZE: what fixed stacks would take at the peak. */
    long getBaseBytes();

    double getSavingPercent();

    long getChecksExecuted();

    long getGrows();

    long getFaults();

    long getPanics();

    long getExpandCalls();

    int getMaxDepthBytes();

    long getClassesWoven();

    long getMethodsWoven();

    long getChecksInserted();

    /**
     * Writes the JSON report now, as the agent does at exit, after freeing the stacks of ended
     * threads; returns the absolute path written. A path that cannot be written is an
     * IllegalArgumentException or IllegalStateException whose message says why.
     */
    String writeReport(String path);
}

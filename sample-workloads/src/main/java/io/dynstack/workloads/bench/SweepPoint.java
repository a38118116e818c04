package io.dynstack.workloads.bench;

/**
 * One chain under one configuration: the timing from JMH, and the simulated figures of one op from
 * the agent's report (absent, -1, for the uninstrumented configuration, which has no agent).
 *
 * @param config          {@code uninstrumented}, {@code none} (accounting only) or a threshold
 * @param nsPerOp         JMH's average time per op
 * @param nsPerOpError    JMH's 99.9% confidence half-width (NaN with a single measurement)
 * @param allocBytesPerOp {@code gc.alloc.rate.norm} from JMH's GC profiler
 * @param faults          pages an unchecked frame had to fault in, in a {@code fault=grow} run
 */
public record SweepPoint(Chain chain, String config, double nsPerOp, double nsPerOpError, double ratio,
                         double allocBytesPerOp, long checksInserted, long checksExecuted, long faults, long panics,
                         long maxDepthBytes) {

    static final String UNINSTRUMENTED = "uninstrumented";
    static final String ACCOUNTING_ONLY = "none";

    boolean instrumented() {
        return !UNINSTRUMENTED.equals(config);
    }
}

package io.dynstack.workloads;

import static io.dynstack.workloads.CellColumn.BASE_BYTES;
import static io.dynstack.workloads.CellColumn.MAPPED_BYTES;
import static io.dynstack.workloads.CellColumn.PANIC;
import static io.dynstack.workloads.CellColumn.POLICY;
import static io.dynstack.workloads.CellColumn.SAVING_PERCENT;
import static io.dynstack.workloads.CellColumn.STATUS;
import static io.dynstack.workloads.CellColumn.WORKLOAD;

import io.dynstack.runtime.Json;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** One cell's figures, as the cell JVM printed them, or why it has none: a value for every {@link CellColumn}. */
public final class CellResult {

    static final String CSV_HEADER = Arrays.stream(CellColumn.values()).map(CellColumn::csvHeader)
            .collect(Collectors.joining(","));

    private final Map<CellColumn, Object> values;

    /** {@code values} has every column but the saving, which follows from them. */
    private CellResult(Map<CellColumn, Object> values) {
        long base = (long) values.get(BASE_BYTES);
        long mapped = (long) values.get(MAPPED_BYTES);
        // Against fixed 16 KiB stacks for the same threads, as in the RFC's table.
        values.put(SAVING_PERCENT, base == 0 ? 0.0 : 100.0 * (base - mapped) / base);
        this.values = values;
    }

    static CellResult parse(String policy, Map<String, Object> cell) {
        Map<CellColumn, Object> values = new EnumMap<>(CellColumn.class);
        for (CellColumn c : CellColumn.values()) {
            if (c.measured()) {
                values.put(c, c.read(cell));
            }
        }
        values.put(POLICY, policy);
        return new CellResult(values);
    }

    static CellResult error(String workload, String policy, String why) {
        Map<CellColumn, Object> values = new EnumMap<>(CellColumn.class);
        for (CellColumn c : CellColumn.values()) {
            values.put(c, 0L);
        }
        values.put(WORKLOAD, workload);
        values.put(POLICY, policy);
        values.put(STATUS, "error");
        values.put(PANIC, why);
        return new CellResult(values);
    }

    Object value(CellColumn column) {
        return values.get(column);
    }

    private long number(CellColumn column) {
        return (long) values.get(column);
    }

    /** A figure by its key in the cell's line, e.g. {@code stalls}. */
    public long cost(String key) {
        return number(CellColumn.byKey(key));
    }

    public String workload() {
        return (String) values.get(WORKLOAD);
    }

    public String policy() {
        return (String) values.get(POLICY);
    }

    public String status() {
        return (String) values.get(STATUS);
    }

    /** The first line of the first task's oops, or why the cell has no figures; null otherwise. */
    public String panic() {
        return (String) values.get(PANIC);
    }

    public long stacks() {
        return number(CellColumn.STACKS);
    }

    public long baseBytes() {
        return number(BASE_BYTES);
    }

    public long mappedBytes() {
        return number(MAPPED_BYTES);
    }

    public double savingPercent() {
        return (double) values.get(SAVING_PERCENT);
    }

    public long peakBytes() {
        return number(CellColumn.PEAK_BYTES);
    }

    public long checksExecuted() {
        return number(CellColumn.CHECKS_EXECUTED);
    }

    public long grows() {
        return number(CellColumn.GROWS);
    }

    public long faults() {
        return number(CellColumn.FAULTS);
    }

    public long panics() {
        return number(CellColumn.PANICS);
    }

    public long releasedBytes() {
        return number(CellColumn.RELEASED_BYTES);
    }

    public long reservePagesTaken() {
        return number(CellColumn.RESERVE_PAGES_TAKEN);
    }

    public long reserveRefills() {
        return number(CellColumn.RESERVE_REFILLS);
    }

    public long maxDepthBytes() {
        return number(CellColumn.MAX_DEPTH_BYTES);
    }

    public long deviceBytes() {
        return number(CellColumn.DEVICE_BYTES);
    }

    void writeTo(Json j) {
        j.beginObject();
        for (CellColumn c : CellColumn.values()) {
            c.write(j, value(c));
        }
        j.endObject();
    }

    String csvRow() {
        return Arrays.stream(CellColumn.values()).map(c -> c.csv(value(c))).collect(Collectors.joining(","));
    }
}

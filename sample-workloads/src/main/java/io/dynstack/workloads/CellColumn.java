package io.dynstack.workloads;

import io.dynstack.runtime.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns of a comparison cell, in the order that the cell's line, comparison.json and
 * comparison.csv have them: each is named, measured and formatted here and nowhere else, so that a
 * column is added with one line. The policy and the saving are not measured by the cell JVM:
 * {@link CellResult} fills them in.
 */
enum CellColumn {
    WORKLOAD(text("workload"), r -> r.workload().name()),
    POLICY(text("policy"), null),
    STATUS(text("status"), Cell.Reading::status),
    STACKS(count("stacks").inTable("stacks", 7), r -> r.atPark().stacks().live()),
    BASE_BYTES(kib("base_bytes").inTable("base KiB", 10), r -> r.atPark().stacks().live() * Cell.REFERENCE_THREAD_SIZE),
    MAPPED_BYTES(kib("mapped_bytes").inTable("mapped KiB", 10), Cell.Reading::mappedBytes),
    SAVING_PERCENT(percent("saving_percent").inTable("saving", 8), null),
    PEAK_BYTES(kib("peak_bytes").inTable("peak KiB", 10), Cell.Reading::peakBytes),
    CHECKS_EXECUTED(count("checks_executed").inTable("checks", 9), r -> r.end().events().checksExecuted()),
    GROWS(count("grows").inTable("grows", 6), r -> r.end().events().grows()),
    FAULTS(count("faults").inTable("faults", 6), r -> r.end().events().faults()),
    PANICS(count("panics").inTable("panics", 6), r -> r.end().events().panics()),
    RELEASED_BYTES(kib("released_bytes"), r -> r.end().memory().releasedBytes()),
    RESERVE_PAGES_TAKEN(count("reserve_pages_taken"), r -> r.end().memory().reservePagesTaken()),
    RESERVE_REFILLS(count("reserve_refills"), r -> r.end().memory().reserveRefills()),
    MAX_DEPTH_BYTES(count("max_depth_bytes"), r -> Math.max(r.end().depth().maxBytes(), r.end().depth().irqMaxBytes())),
    WALL_MS(count("wall_ms").inTable("wall ms", 8), Cell.Reading::wallMillis),
    PANIC(note("panic"), Cell.Reading::panicLine),
    STACKS_IN_USE(count("stacks_in_use").inCosts("in use"), r -> r.parkedDesign().inUse().stacks()),
    PEAK_STACKS_IN_USE(count("peak_stacks_in_use").inCosts("peak use"), r -> r.design().inUse().peakStacks()),
    KEPT_BYTES(bytes("kept_bytes").inCosts("kept KiB"), r -> r.parkedDesign().inUse().keptBytes()),
    WAKE_ALLOCATIONS(count("wake_allocations").inCosts("wake alloc"), r -> r.design().allocations().wake().count()),
    WAKE_PAGES(count("wake_pages"), r -> r.design().allocations().wake().pages()),
    ENTRY_ALLOCATIONS(count("entry_allocations").inCosts("entry alloc"), r -> r.design().allocations().entry().count()),
    ENTRY_PAGES(count("entry_pages"), r -> r.design().allocations().entry().pages()),
    SWITCH_IN_ALLOCATIONS(count("switch_in_allocations").inCosts("switch-in alloc"), r -> r.design().allocations().switchIn().count()),
    SWITCH_IN_PAGES(count("switch_in_pages").inCosts("pages"), r -> r.design().allocations().switchIn().pages()),
    STALLS(count("stalls").inCosts("stalls"), r -> r.design().allocations().stalls()),
    RECLAIMED_BYTES(count("reclaimed_bytes"), r -> r.design().reclaim().bytes()),
    SHOOTDOWNS(count("shootdowns").inCosts("shootdowns"), r -> r.design().reclaim().shootdowns()),
    SPARE_PAGES_TAKEN(count("spare_pages_taken").inCosts("spare pages"), r -> r.design().spares().sparePagesTaken()),
    STASH_PAGES_TAKEN(count("stash_pages_taken").inCosts("stash pages"), r -> r.design().spares().stashPagesTaken()),
    STASH_LOCKS(count("stash_locks").inCosts("stash locks"), r -> r.design().spares().stashLocks()),
    REFILL_FAILURES(count("refill_failures").inCosts("refill fail"), r -> r.design().refills().failed()),
    DEVICE_BYTES(count("device_bytes"), r -> r.workload().deviceBytes(r.params()));

    /** How a value is written: JSON has every number whole except the saving; the CSV and the tables scale some. */
    enum Type {
        /** A string. */
        TEXT,
        /** A string or null; quoted in the CSV, empty there when null. */
        NOTE,
        /** A whole number. */
        COUNT,
        /** Bytes: whole in the JSON and the CSV, KiB in the tables. */
        BYTES,
        /** Bytes: whole in the JSON, KiB in the CSV (its header says _kib) and the tables. */
        KIB,
        /** Two decimals; a percent sign in the tables. */
        PERCENT
    }

    /**
     * A column's key and formats. {@code tableWidth} is its width in the comparison's table, 0
     * where that table does not show it; a cost only some designs have has a {@code tableHeader}
     * for the costs table (Compare says which designs have it).
     */
    record Format(String key, Type type, String tableHeader, int tableWidth) {

        Format inTable(String header, int width) {
            return new Format(key, type, header, width);
        }

        Format inCosts(String header) {
            return new Format(key, type, header, 0);
        }
    }

    private final Format format;
    /** What the cell JVM prints for this column; null for the columns CellResult fills in. */
    private final Function<Cell.Reading, Object> measure;

    CellColumn(Format format, Function<Cell.Reading, Object> measure) {
        this.format = format;
        this.measure = measure;
    }

    private static Format text(String key) {
        return new Format(key, Type.TEXT, null, 0);
    }

    private static Format note(String key) {
        return new Format(key, Type.NOTE, null, 0);
    }

    private static Format count(String key) {
        return new Format(key, Type.COUNT, null, 0);
    }

    private static Format bytes(String key) {
        return new Format(key, Type.BYTES, null, 0);
    }

    private static Format kib(String key) {
        return new Format(key, Type.KIB, null, 0);
    }

    private static Format percent(String key) {
        return new Format(key, Type.PERCENT, null, 0);
    }

    String key() {
        return format.key();
    }

    Type type() {
        return format.type();
    }

    String tableHeader() {
        return format.tableHeader();
    }

    int tableWidth() {
        return format.tableWidth();
    }

    boolean measured() {
        return measure != null;
    }

    /** The columns of the comparison's table after workload and policy, in order. */
    static List<CellColumn> inTable() {
        return Arrays.stream(values()).filter(c -> c.tableWidth() > 0).toList();
    }

    static CellColumn byKey(String key) {
        for (CellColumn c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no cell column '" + key + "'");
    }

    String csvHeader() {
        return type() == Type.KIB ? key().replace("_bytes", "_kib") : key();
    }

    /** The cell JVM's value for this column: a String, a Long or null. */
    Object measure(Cell.Reading reading) {
        Object value = measure.apply(reading);
        return value instanceof Number n ? (Object) n.longValue() : value;
    }

    /** This column's value in the cell's line. */
    Object read(Map<String, Object> cell) {
        Object value = cell.get(key());
        if (type() == Type.TEXT || type() == Type.NOTE) {
            return (String) value;
        }
        if (!(value instanceof Long)) {
            throw new IllegalArgumentException("cell output has no number '" + key() + "'");
        }
        return value;
    }

    void write(Json j, Object value) {
        j.name(key());
        switch (type()) {
            case TEXT, NOTE -> j.value((String) value);
            case PERCENT -> j.value((double) value);
            case COUNT, BYTES, KIB -> j.value((long) value);
        }
    }

    String csv(Object value) {
        return switch (type()) {
            case TEXT -> (String) value;
            case NOTE -> value == null ? "" : '"' + ((String) value).replace("\"", "\"\"") + '"';
            case PERCENT -> String.format(Locale.ROOT, "%.2f", (double) value);
            case KIB -> Long.toString((long) value / 1024);
            case COUNT, BYTES -> Long.toString((long) value);
        };
    }

    String tableText(Object value) {
        return switch (type()) {
            case TEXT, NOTE -> String.valueOf(value);
            case PERCENT -> String.format(Locale.ROOT, "%.2f%%", (double) value);
            case BYTES, KIB -> Long.toString((long) value / 1024);
            case COUNT -> Long.toString((long) value);
        };
    }
}

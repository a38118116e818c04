package io.dynstack.workloads;

import io.dynstack.runtime.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One cell's figures, as the cell JVM printed them, or why it has none. */
public record CellResult(String workload, String policy, String status, long stacks, long baseBytes,
                         long mappedBytes, long peakBytes, long checksExecuted, long grows, long faults, long panics,
                         long releasedBytes, long reservePagesTaken, long reserveRefills, long maxDepthBytes,
                         long wallMillis,
                         String panic, Costs costs, long deviceBytes) {

    /** The costs that only some designs have, in the order of {@link #COST_KEYS}; zero where they do not apply. */
    public record Costs(long[] values) {
        public long get(String key) {
            return values[COST_KEYS.indexOf(key)];
        }
    }

    /** The cell's keys for {@link Costs}, as the cell JVM prints them. */
    static final List<String> COST_KEYS = List.of("stacks_in_use", "peak_stacks_in_use", "kept_bytes",
            "wake_allocations", "wake_pages", "entry_allocations", "entry_pages", "switch_in_allocations",
            "switch_in_pages", "stalls", "reclaimed_bytes", "shootdowns", "spare_pages_taken", "stash_pages_taken",
            "stash_locks", "refill_failures");

    static final String CSV_HEADER = "workload,policy,status,stacks,base_kib,mapped_kib,saving_percent,peak_kib,"
            + "checks_executed,grows,faults,panics,released_kib,reserve_pages_taken,reserve_refills,max_depth_bytes,wall_ms,"
            + "panic," + String.join(",", COST_KEYS) + ",device_bytes";

    static CellResult parse(String policy, Map<String, Object> cell) {
        long[] costs = new long[COST_KEYS.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = n(cell, COST_KEYS.get(i));
        }
        return new CellResult((String) cell.get("workload"), policy, (String) cell.get("status"), n(cell, "stacks"),
                n(cell, "base_bytes"), n(cell, "mapped_bytes"), n(cell, "peak_bytes"), n(cell, "checks_executed"),
                n(cell, "grows"), n(cell, "faults"), n(cell, "panics"), n(cell, "released_bytes"),
                n(cell, "reserve_pages_taken"), n(cell, "reserve_refills"), n(cell, "max_depth_bytes"), n(cell, "wall_ms"),
                (String) cell.get("panic"), new Costs(costs), n(cell, "device_bytes"));
    }

    static CellResult error(String workload, String policy, String why) {
        return new CellResult(workload, policy, "error", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, why,
                new Costs(new long[COST_KEYS.size()]), 0);
    }

    public long cost(String key) {
        return costs.get(key);
    }

    private static long n(Map<String, Object> cell, String key) {
        Object value = cell.get(key);
        if (!(value instanceof Long l)) {
            throw new IllegalArgumentException("cell output has no number '" + key + "'");
        }
        return l;
    }

    /** Against fixed 16 KiB stacks for the same threads, as in the RFC's table. */
    public double savingPercent() {
        return baseBytes == 0 ? 0 : 100.0 * (baseBytes - mappedBytes) / baseBytes;
    }

    void writeTo(Json j) {
        j.beginObject().member("workload", workload).member("policy", policy).member("status", status)
                .member("stacks", stacks).member("base_bytes", baseBytes).member("mapped_bytes", mappedBytes)
                .member("saving_percent", savingPercent()).member("peak_bytes", peakBytes)
                .member("checks_executed", checksExecuted).member("grows", grows).member("faults", faults)
                .member("panics", panics).member("released_bytes", releasedBytes)
                .member("reserve_pages_taken", reservePagesTaken).member("reserve_refills", reserveRefills)
                .member("max_depth_bytes", maxDepthBytes)
                .member("wall_ms", wallMillis).member("panic", panic);
        for (String key : COST_KEYS) {
            j.member(key, cost(key));
        }
        j.member("device_bytes", deviceBytes).endObject();
    }

    String csvRow() {
        return String.join(",", workload, policy, status, Long.toString(stacks), Long.toString(baseBytes / 1024),
                Long.toString(mappedBytes / 1024), String.format(Locale.ROOT, "%.2f", savingPercent()),
                Long.toString(peakBytes / 1024), Long.toString(checksExecuted), Long.toString(grows),
                Long.toString(faults), Long.toString(panics), Long.toString(releasedBytes / 1024),
                Long.toString(reservePagesTaken), Long.toString(reserveRefills), Long.toString(maxDepthBytes),
                Long.toString(wallMillis),
                panic == null ? "" : '"' + panic.replace("\"", "\"\"") + '"')
                + COST_KEYS.stream().map(k -> "," + cost(k)).collect(Collectors.joining()) + "," + deviceBytes;
    }
}

package io.dynstack.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report: JSON for tools, a short table for people. Keys are documented in the README. */
public final class Report {

    /** Bumped when a key changes meaning or goes away; new keys do not bump it. */
    public static final int SCHEMA_VERSION = 1;

    /** The agent's options as given and as resolved, for the report's config; empty when no agent described them. */
    private static volatile Map<String, String> optionsGiven = Map.of();
    private static volatile Map<String, Object> optionsResolved;

    private Report() {
    }

    /**
     * Records what the run was started with: every option as given, and every setting as resolved
     * (defaults filled in); null for neither. Values of {@code resolved} are strings, numbers,
     * booleans, lists of strings or null.
     */
    public static void describe(Map<String, String> given, Map<String, Object> resolved) {
        optionsGiven = new LinkedHashMap<>(given);
        optionsResolved = resolved == null ? null : new LinkedHashMap<>(resolved);
    }

    public static String json(StackStats s) {
        Json j = new Json().beginObject()
                .member("schema_version", SCHEMA_VERSION)
                .name("config").beginObject()
                .member("thread_size", s.config().threadSize())
                .member("page", s.config().pageSize())
                .member("initial", s.config().initial())
                .member("margin", s.config().margin())
                .member("fault", s.config().fault().label())
                .member("cpus", s.config().cpus())
                .member("reserve", s.config().reservePages())
                .member("release_at_park", s.config().releaseAtPark())
                .member("irq_stacks", s.config().irqStacks());
        j.name("options_given").beginObject();
        optionsGiven.forEach(j::member);
        j.endObject();
        Map<String, Object> resolved = optionsResolved;
        if (resolved == null) {
            j.name("options_resolved").value((String) null);
        } else {
            j.name("options_resolved").beginObject();
            resolved.forEach((key, value) -> value(j.name(key), value));
            j.endObject();
        }
        j.endObject()
                .member("stacks", s.stacks().peakLive())
                .member("stacks_created", s.stacks().created())
                .member("live_stacks", s.stacks().live())
                .member("base_bytes", s.baseBytes())
                .member("mapped_bytes", s.memory().mappedBytes())
                .member("peak_mapped_bytes", s.memory().peakMappedBytes())
                .member("saving_percent", s.savingPercent())
                .member("classes_woven", WovenMethods.classesWoven())
                .member("methods_woven", WovenMethods.methodsWoven())
                .member("checks_inserted", WovenMethods.checksInserted())
                .member("checks_executed", s.events().checksExecuted())
                .member("grows", s.events().grows())
                .member("faults", s.events().faults())
                .member("panics", s.events().panics())
                .member("expand_calls", s.events().expandCalls())
                .member("max_depth_bytes", s.depth().maxBytes())
                .member("irq_stack_count", s.irqStacks())
                .member("irq_max_depth_bytes", s.depth().irqMaxBytes())
                .member("reserve_bytes", s.memory().reserveBytes())
                .member("reserve_pages_taken", s.memory().reservePagesTaken())
                .member("reserve_refills", s.memory().reserveRefills())
                .member("released_bytes", s.memory().releasedBytes())
                .member("stacks_reaped", s.stacks().reaped())
                .member("reaper_reaped", s.stacks().reaperReaped());
        j.name("depth_histogram").beginArray();
        long[] h = s.depth().histogram();
        for (int i = 0; i < h.length; i++) {
            j.beginObject().member("up_to_bytes", (long) (i + 1) * Accounting.BUCKET_BYTES)
                    .member("stacks", h[i]).endObject();
        }
        j.endArray();
        j.name("methods").beginArray();
        for (StackStats.MethodStats m : s.methods()) {
            j.beginObject().member("method", m.method().display())
                    .member("frame_size", m.method().frameSize())
                    .member("checked", m.method().checked())
                    .member("expand_bytes", m.method().expandBytes())
                    .member("entries", m.entries())
                    .member("checks", m.checks())
                    .member("grows", m.grows())
                    .member("faults", m.faults())
                    .member("panics", m.panics())
                    .member("max_depth_bytes", m.maxDepthBytes())
                    .endObject();
        }
        j.endArray();
        j.name("deepest_chain");
        StackStats.Deepest deepest = s.depth().deepest();
        if (deepest == null) {
            j.value((String) null);
        } else {
            j.beginObject().member("thread", deepest.thread()).member("depth_bytes", deepest.depthBytes());
            frames(j, deepest.frames());
            j.endObject();
        }
        j.name("deepest_chains").beginArray();
        for (StackStats.Chain chain : s.depth().deepestChains()) {
            j.beginObject().member("stacks", chain.stacks()).member("depth_bytes", chain.depthBytes());
            frames(j, chain.frames());
            j.endObject();
        }
        j.endArray();
        j.name("classes_skipped").beginArray();
        for (WovenMethods.Skipped skipped : WovenMethods.skipped()) {
            j.beginObject().member("class", skipped.className()).member("reason", skipped.reason()).endObject();
        }
        return j.endArray().endObject().toString();
    }

    private static void value(Json j, Object value) {
        switch (value) {
            case null -> j.value((String) null);
            case Boolean b -> j.value(b);
            case Integer i -> j.value((long) i);
            case Long l -> j.value((long) l);
            case List<?> list -> {
                j.beginArray();
                list.forEach(item -> j.value(String.valueOf(item)));
                j.endArray();
            }
            default -> j.value(String.valueOf(value));
        }
    }

    /** A chain as the report writes it: outermost first, as a flame graph draws it from its root. */
    private static void frames(Json j, List<Oops.ChainFrame> innermostFirst) {
        j.name("frames").beginArray();
        for (int i = innermostFirst.size() - 1; i >= 0; i--) {
            Oops.ChainFrame f = innermostFirst.get(i);
            j.beginObject().member("method", f.method()).member("frame_size", f.frameSize())
                    .member("depth_bytes", f.depth()).endObject();
        }
        j.endArray();
    }

    public static String table(StackStats s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "dynstack: THREAD_SIZE %d KiB, page %d, initial %d, margin %d, fault=%s%n",
                s.config().threadSize() / 1024, s.config().pageSize(), s.config().initial(), s.config().margin(),
                s.config().fault().label()));
        out.append(String.format(Locale.ROOT, "  %-22s %12s%n", "stacks (peak live)", s.stacks().peakLive()));
        row(out, "base KiB", s.baseBytes() / 1024);
        row(out, "peak mapped KiB", s.memory().peakMappedBytes() / 1024);
        out.append(String.format(Locale.ROOT, "  %-22s %11.2f%%%n", "saving", s.savingPercent()));
        row(out, "methods woven", WovenMethods.methodsWoven());
        row(out, "checks inserted", WovenMethods.checksInserted());
        row(out, "checks executed", s.events().checksExecuted());
        row(out, "grows", s.events().grows());
        row(out, "faults", s.events().faults());
        row(out, "panics", s.events().panics());
        row(out, "expand_stack calls", s.events().expandCalls());
        row(out, "max depth bytes", s.depth().maxBytes());
        if (s.irqStacks() > 0) {
            row(out, "IRQ stacks", s.irqStacks());
        }
        if (s.config().reserves()) {
            row(out, "reserve pages taken", s.memory().reservePagesTaken());
        }
        if (s.config().releaseAtPark()) {
            row(out, "released at park KiB", s.memory().releasedBytes() / 1024);
        }
        int skipped = WovenMethods.skipped().size();
        if (skipped > 0) {
            row(out, "classes not woven", skipped);
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, long value) {
        out.append(String.format(Locale.ROOT, "  %-22s %12d%n", name, value));
    }

    /** Writes the JSON report of {@code stats} to {@code file}, creating missing directories. */
    public static void write(Path file, StackStats stats) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json(stats) + "\n");
    }

    /** At JVM exit: writes the JSON (if asked) and prints the table; the totals free the stacks of ended threads first. */
    public static void atExit(Path json) {
        StackStats stats = Kernel.stats();
        if (json != null) {
            try {
                write(json, stats);
            } catch (IOException | RuntimeException e) {
                System.err.println("dynstack: cannot write report " + json + ": " + e.getMessage()
                        + "; check that the directory is writable");
            }
        }
        System.err.print(table(stats));
    }
}

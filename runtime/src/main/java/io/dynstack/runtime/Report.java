package io.dynstack.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The report: JSON for tools, a short table for people. Keys are documented in the README. */
public final class Report {

    /** Bumped when a key changes meaning or goes away; new keys do not bump it. */
    public static final int SCHEMA_VERSION = 1;

    private Report() {
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
                .member("irq_stacks", s.config().irqStacks())
                .endObject()
                .member("stacks", s.peakLiveStacks())
                .member("stacks_created", s.stacksCreated())
                .member("live_stacks", s.liveStacks())
                .member("base_bytes", s.baseBytes())
                .member("mapped_bytes", s.mappedBytes())
                .member("peak_mapped_bytes", s.peakMappedBytes())
                .member("saving_percent", s.savingPercent())
                .member("classes_woven", WovenMethods.classesWoven())
                .member("methods_woven", WovenMethods.methodsWoven())
                .member("checks_inserted", WovenMethods.checksInserted())
                .member("checks_executed", s.checksExecuted())
                .member("grows", s.grows())
                .member("faults", s.faults())
                .member("panics", s.panics())
                .member("expand_calls", s.expandCalls())
                .member("max_depth_bytes", s.maxDepthBytes())
                .member("irq_stack_count", s.irqStacks())
                .member("irq_max_depth_bytes", s.irqMaxDepthBytes())
                .member("reserve_bytes", s.reserveBytes())
                .member("reserve_pages_taken", s.reservePagesTaken())
                .member("reserve_refills", s.reserveRefills())
                .member("released_bytes", s.releasedBytes())
                .member("stacks_reaped", s.stacksReaped())
                .member("reaper_reaped", s.reaperReaped());
        j.name("depth_histogram").beginArray();
        long[] h = s.depthHistogram();
        for (int i = 0; i < h.length; i++) {
            j.beginObject().member("up_to_bytes", (long) (i + 1) * Accounting.BUCKET_BYTES)
                    .member("stacks", h[i]).endObject();
        }
        j.endArray();
        j.name("classes_skipped").beginArray();
        for (WovenMethods.Skipped skipped : WovenMethods.skipped()) {
            j.beginObject().member("class", skipped.className()).member("reason", skipped.reason()).endObject();
        }
        return j.endArray().endObject().toString();
    }

    public static String table(StackStats s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "dynstack: THREAD_SIZE %d KiB, page %d, initial %d, margin %d, fault=%s%n",
                s.config().threadSize() / 1024, s.config().pageSize(), s.config().initial(), s.config().margin(),
                s.config().fault().label()));
        out.append(String.format(Locale.ROOT, "  %-22s %12s%n", "stacks (peak live)", s.peakLiveStacks()));
        row(out, "base KiB", s.baseBytes() / 1024);
        row(out, "peak mapped KiB", s.peakMappedBytes() / 1024);
        out.append(String.format(Locale.ROOT, "  %-22s %11.2f%%%n", "saving", s.savingPercent()));
        row(out, "methods woven", WovenMethods.methodsWoven());
        row(out, "checks inserted", WovenMethods.checksInserted());
        row(out, "checks executed", s.checksExecuted());
        row(out, "grows", s.grows());
        row(out, "faults", s.faults());
        row(out, "panics", s.panics());
        row(out, "expand_stack calls", s.expandCalls());
        row(out, "max depth bytes", s.maxDepthBytes());
        if (s.irqStacks() > 0) {
            row(out, "IRQ stacks", s.irqStacks());
        }
        if (s.config().reserves()) {
            row(out, "reserve pages taken", s.reservePagesTaken());
        }
        if (s.config().releaseAtPark()) {
            row(out, "released at park KiB", s.releasedBytes() / 1024);
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

    /** At JVM exit: writes the JSON (if asked) and prints the table; the totals free the stacks of ended threads first. */
    public static void atExit(Path json) {
        StackStats stats = Kernel.stats();
        if (json != null) {
            try {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(json, json(stats) + "\n");
            } catch (IOException | RuntimeException e) {
                System.err.println("dynstack: cannot write report " + json + ": " + e.getMessage()
                        + "; check that the directory is writable");
            }
        }
        System.err.print(table(stats));
    }
}

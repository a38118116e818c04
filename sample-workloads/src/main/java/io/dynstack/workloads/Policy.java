package io.dynstack.workloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack design as agent options. Base designs, optionally followed by modifiers for all but the
 * fixed ones: {@code +reserve} (per-CPU reserve pages for growth in no-sleep code, {@code +reserve=N}
 * for N pages, 1 by default), {@code +park} (release pages below sp at idle points) and
 * {@code +pressure} (no free page for stack memory once the stacks exist; {@code +pressure=N} for N).
 *
 * @param name    as the user wrote it, e.g. {@code dynamic-check+expand+reserve+park}
 * @param options agent options without kernel=, cpus= or report=
 */
public record Policy(String name, String options) {

    /** The base designs and what each is, for the README and {@code --help}. */
    static final Map<String, String> BASES = new LinkedHashMap<>();

    static {
        BASES.put("fixed-16k", "16 KiB stacks, all mapped (x86-64 since 2014)");
        BASES.put("fixed-8k", "8 KiB stacks, all mapped (x86-64 before 2014)");
        BASES.put("4k-irq", "4 KiB task stacks, all mapped, interrupts on per-CPU 4 KiB IRQ stacks (2.6 era)");
        BASES.put("dynamic-fault", "16 KiB reserved, one page mapped, grown at fault time (x86 FRED, arm64)");
        BASES.put("dynamic-check", "16 KiB reserved, one page mapped, STACKLEAK-style checks at the threshold; "
                + "a fault panics (x86 without FRED)");
        BASES.put("dynamic-check+expand", "dynamic-check, and @ExpandStack paths call expand_stack()");
        BASES.put("release-idle", "16 KiB mapped while running; futex and epoll sleepers give the whole stack back,"
                + " keeping 256 bytes, and take 16 KiB at wake (a reader's comment on LWN's LSFMM 2024 report)");
        BASES.put("multiplex", "16 KiB stacks taken at syscall entry and given back on return to user; futex"
                + " sleepers hold none, other sleepers keep theirs (Laight; Tatashin's \"multiplexing\", v2 thread)");
        BASES.put("hansen-switch", "all 16 KiB mapped while running; never-touched pages reclaimed at each switch"
                + " out and mapped again at switch in, inside schedule() (Hansen, June 2026)");
        BASES.put("hansen-shrinker", "hansen-switch with the reclaim done by a shrinker pass, one TLB shootdown per"
                + " pass (Hansen; Stevens on shootdowns)");
        BASES.put("8k+expand", "8 KiB mapped, no checks, expand_stack() on the @ExpandStack paths; a fault past 8 KiB"
                + " elsewhere panics (Wilcox at LSFMM, as Tatashin recalls it in v2)");
        BASES.put("rfc-spares", "one page, fault-time growth from 3 spare pages per CPU refilled when a task leaves"
                + " the CPU, a global stash of 8 behind a lock as fallback (Tatashin's v1; Walleij's rebase)");
    }

    /** Bases whose stacks are all mapped at creation: no modifier changes them. */
    private static final List<String> FIXED = List.of("fixed-16k", "fixed-8k", "4k-irq");

    public static final List<String> DEFAULTS = List.of("fixed-16k", "fixed-8k", "4k-irq", "dynamic-fault",
            "dynamic-check", "dynamic-check+expand", "dynamic-check+expand+reserve+park", "release-idle", "multiplex",
            "hansen-switch", "hansen-shrinker", "8k+expand", "rfc-spares");

    /** Whether the design's agent options include {@code option}, e.g. {@code idle=release}. */
    boolean has(String option) {
        return List.of(options.split(",")).contains(option);
    }

    /** Whether the design's agent options give {@code key} any value. */
    boolean sets(String key) {
        return List.of(options.split(",")).stream().anyMatch(o -> o.startsWith(key + "="));
    }

    public static Policy parse(String name, int threshold) {
        String base = BASES.containsKey(name) ? name : null;
        String rest = "";
        if (base == null) {
            for (String candidate : BASES.keySet()) {
                if (name.startsWith(candidate + "+") && (base == null || candidate.length() > base.length())) {
                    base = candidate;
                }
            }
            if (base == null) {
                throw new IllegalArgumentException("unknown policy '" + name + "'; policies: "
                        + String.join(", ", BASES.keySet()) + ", with +reserve[=N], +park or +pressure[=N] on all but"
                        + " the fixed ones");
            }
            rest = name.substring(base.length() + 1);
        }
        List<String> options = new ArrayList<>(switch (base) {
            case "fixed-16k" -> List.of("thread_size=16k", "initial=16k", "threshold=none");
            case "fixed-8k" -> List.of("thread_size=8k", "initial=8k", "threshold=none");
            case "4k-irq" -> List.of("thread_size=4k", "initial=4k", "threshold=none", "irq_stacks=true");
            case "dynamic-fault" -> List.of("threshold=none", "fault=grow", "expand=false");
            case "dynamic-check" -> List.of("threshold=" + threshold, "fault=panic", "expand=false");
            case "dynamic-check+expand" -> List.of("threshold=" + threshold, "fault=panic");
            case "release-idle" -> List.of("initial=16k", "threshold=none", "idle=release");
            case "multiplex" -> List.of("initial=16k", "threshold=none", "idle=multiplex");
            case "hansen-switch" -> List.of("initial=16k", "threshold=none", "reclaim=switch");
            case "hansen-shrinker" -> List.of("initial=16k", "threshold=none", "reclaim=shrinker");
            case "8k+expand" -> List.of("initial=8k", "threshold=none", "fault=panic");
            default -> List.of("threshold=none", "fault=grow", "expand=false", "spares=3", "stash=8");
        });
        if (!rest.isEmpty()) {
            if (FIXED.contains(base)) {
                throw new IllegalArgumentException("policy '" + name + "': +reserve, +park and +pressure apply to all"
                        + " but the fixed policies (" + String.join(", ", FIXED) + ")");
            }
            for (String modifier : rest.split("\\+")) {
                if (modifier.equals("park")) {
                    options.add("release_at_park=true");
                } else if (modifier.startsWith("reserve") && base.equals("rfc-spares")) {
                    throw new IllegalArgumentException("policy '" + name + "': rfc-spares feeds growth from its"
                            + " spares; +reserve does not combine with it");
                } else if (modifier.equals("reserve")) {
                    options.add("reserve=1");
                } else if (modifier.matches("reserve=\\d{1,4}")) {
                    options.add(modifier);
                } else if (modifier.equals("pressure")) {
                    options.add("free_pages=0");
                } else if (modifier.matches("pressure=\\d{1,9}")) {
                    options.add("free_pages=" + modifier.substring("pressure=".length()));
                } else {
                    throw new IllegalArgumentException("policy '" + name + "': unknown modifier '" + modifier
                            + "'; modifiers: +reserve, +reserve=N, +park, +pressure, +pressure=N");
                }
            }
        }
        return new Policy(name, String.join(",", options));
    }
}

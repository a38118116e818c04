package io.dynstack.workloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack design as agent options. Base designs, optionally followed by modifiers for dynamic
 * ones: {@code +reserve} (per-CPU reserve pages for growth in no-sleep code, {@code +reserve=N}
 * for N pages, 1 by default) and {@code +park} (release pages below sp at idle points).
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
    }

    public static final List<String> DEFAULTS = List.of("fixed-16k", "fixed-8k", "4k-irq", "dynamic-fault",
            "dynamic-check", "dynamic-check+expand", "dynamic-check+expand+reserve+park");

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
                        + String.join(", ", BASES.keySet()) + ", with +reserve[=N] or +park on dynamic ones");
            }
            rest = name.substring(base.length() + 1);
        }
        List<String> options = new ArrayList<>(switch (base) {
            case "fixed-16k" -> List.of("thread_size=16k", "initial=16k", "threshold=none");
            case "fixed-8k" -> List.of("thread_size=8k", "initial=8k", "threshold=none");
            case "4k-irq" -> List.of("thread_size=4k", "initial=4k", "threshold=none", "irq_stacks=true");
            case "dynamic-fault" -> List.of("threshold=none", "fault=grow", "expand=false");
            case "dynamic-check" -> List.of("threshold=" + threshold, "fault=panic", "expand=false");
            default -> List.of("threshold=" + threshold, "fault=panic");
        });
        if (!rest.isEmpty()) {
            if (!base.startsWith("dynamic")) {
                throw new IllegalArgumentException("policy '" + name + "': +reserve and +park apply to dynamic policies only");
            }
            for (String modifier : rest.split("\\+")) {
                if (modifier.equals("park")) {
                    options.add("release_at_park=true");
                } else if (modifier.equals("reserve")) {
                    options.add("reserve=1");
                } else if (modifier.matches("reserve=\\d{1,4}")) {
                    options.add(modifier);
                } else {
                    throw new IllegalArgumentException("policy '" + name + "': unknown modifier '" + modifier
                            + "'; modifiers: +reserve, +reserve=N, +park");
                }
            }
        }
        return new Policy(name, String.join(",", options));
    }
}

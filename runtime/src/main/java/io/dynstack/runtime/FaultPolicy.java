package io.dynstack.runtime;

/** What happens when an unchecked frame runs into an unmapped page of the stack. */
public enum FaultPolicy {
    /** x86 without FRED: the fault handler needs the stack that just ran out, a double fault. */
    PANIC,
    /** x86 with FRED, arm64: the fault is handled on another stack and the page is mapped. */
    GROW;

    public static FaultPolicy parse(String value) {
        for (FaultPolicy p : values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("fault must be panic or grow, not '" + value + "'");
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

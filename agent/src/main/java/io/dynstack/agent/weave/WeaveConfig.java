package io.dynstack.agent.weave;

import java.util.Locale;

/**
 * What the weaver decides per method, fixed at load time and baked into the woven code.
 *
 * @param threshold methods whose frame size (or locals, by {@code basis}) is at least this get a
 *                  check; {@link #NO_CHECKS} for none
 * @param expand    whether {@code @ExpandStack} methods call expand_stack (policies without it ignore them)
 * @param basis     what the threshold is compared with: the whole frame or its locals part
 * @param methods   whether entries count per method ({@code methods=}): entries and the deepest
 *                  depth at entry, at a cost on every entry
 */
public record WeaveConfig(int threshold, boolean expand, Basis basis, boolean methods) {

    /** STACKLEAK_TRACK_MIN_SIZE in the kernel. */
    public static final int DEFAULT_THRESHOLD = 100;
    /** {@code threshold=none}: accounting only, no method gets a check. */
    public static final int NO_CHECKS = Integer.MAX_VALUE;

    public static final WeaveConfig DEFAULT = new WeaveConfig(DEFAULT_THRESHOLD);

    /**
     * What the threshold is compared with ({@code threshold_basis=}). The whole frame is what the
     * stack pointer moves by either way.
     */
    public enum Basis {
        /** The whole frame, return address included: the default, which every figure before locals used. */
        FRAME,
        /** The locals part ({@link FrameSizeModel}): what STACKLEAK's GCC plugin compares. */
        LOCALS;

        /** {@code frame} or {@code locals}, any case; null for anything else. */
        public static Basis parse(String text) {
            for (Basis b : values()) {
                if (b.name().equalsIgnoreCase(text)) {
                    return b;
                }
            }
            return null;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public WeaveConfig(int threshold) {
        this(threshold, true);
    }

    public WeaveConfig(int threshold, boolean expand) {
        this(threshold, expand, Basis.FRAME);
    }

    public WeaveConfig(int threshold, boolean expand, Basis basis) {
        this(threshold, expand, basis, true);
    }

    public WeaveConfig {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be 0 or more, not " + threshold);
        }
        if (basis == null) {
            throw new IllegalArgumentException("basis must be given");
        }
    }

    public WeaveConfig withBasis(Basis basis) {
        return new WeaveConfig(threshold, expand, basis, methods);
    }

    public WeaveConfig withMethods(boolean count) {
        return new WeaveConfig(threshold, expand, basis, count);
    }

    /** Whether a method of these sizes gets a check. */
    public boolean checks(int frameSize, int locals) {
        return (basis == Basis.LOCALS ? locals : frameSize) >= threshold;
    }

    public boolean checks(FrameSizeModel.Sizes sizes) {
        return checks(sizes.frame(), sizes.locals());
    }
}

package io.dynstack.agent.weave;

/**
 * What the weaver decides per method, fixed at load time and baked into the woven code.
 *
 * @param threshold methods whose frame size is at least this get a check; {@link #NO_CHECKS} for none
 * @param expand    whether {@code @ExpandStack} methods call expand_stack (policies without it ignore them)
 */
public record WeaveConfig(int threshold, boolean expand) {

    /** STACKLEAK_TRACK_MIN_SIZE in the kernel. */
    public static final int DEFAULT_THRESHOLD = 100;
    /** {@code threshold=none}: accounting only, no method gets a check. */
    public static final int NO_CHECKS = Integer.MAX_VALUE;

    public static final WeaveConfig DEFAULT = new WeaveConfig(DEFAULT_THRESHOLD);

    public WeaveConfig(int threshold) {
        this(threshold, true);
    }

    public WeaveConfig {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be 0 or more, not " + threshold);
        }
    }

    public boolean checks(int frameSize) {
        return frameSize >= threshold;
    }
}

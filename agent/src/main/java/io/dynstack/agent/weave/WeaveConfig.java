package io.dynstack.agent.weave;

import java.util.Set;

/**
 * What the weaver decides per method, fixed at load time and baked into the woven code.
 *
 * @param threshold       methods whose frame size is at least this get a check; {@link #NO_CHECKS} for none
 * @param forcedChecks    methods checked whatever their frame size, by key ({@code com.acme.Vfs.read(I)J}):
 *                        the extra checks the static analysis places for {@code guarantee=}
 * @param analysedClasses under {@code guarantee=}, the classes the analysis saw; every method of any
 *                        other class is checked, since no analysis bounds its chains. Null without a guarantee.
 */
public record WeaveConfig(int threshold, Set<String> forcedChecks, Set<String> analysedClasses) {

    /** STACKLEAK_TRACK_MIN_SIZE in the kernel. */
    public static final int DEFAULT_THRESHOLD = 100;
    /** {@code threshold=none}: accounting only, no method gets a check. */
    public static final int NO_CHECKS = Integer.MAX_VALUE;

    public static final WeaveConfig DEFAULT = new WeaveConfig(DEFAULT_THRESHOLD);

    public WeaveConfig {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be 0 or more, not " + threshold);
        }
        forcedChecks = Set.copyOf(forcedChecks);
        analysedClasses = analysedClasses == null ? null : Set.copyOf(analysedClasses);
    }

    /** Checks by the threshold alone. */
    public WeaveConfig(int threshold) {
        this(threshold, Set.of(), null);
    }

    public boolean checks(int frameSize) {
        return frameSize >= threshold;
    }

    /** Whether the method {@code className.name desc} gets a check: the threshold's, or the guarantee's. */
    public boolean checks(String className, String name, String desc, int frameSize) {
        return checks(frameSize) || forcedChecks.contains(className + '.' + name + desc)
                || (analysedClasses != null && !analysedClasses.contains(className));
    }
}

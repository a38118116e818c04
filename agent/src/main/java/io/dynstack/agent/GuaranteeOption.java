package io.dynstack.agent;

import io.dynstack.agent.analyze.Guarantee;
import io.dynstack.agent.weave.CheckSites;
import io.dynstack.runtime.StackConfig;

/**
 * {@code guarantee=M} at start-up: the analysis of the kernel classes on the class path decides
 * the extra checks ({@link Guarantee}), and every check keeps at least M bytes mapped below its
 * frame, since M is what the placement lets the unchecked frames after a check take.
 */
final class GuaranteeOption {

    private GuaranteeOption() {
    }

    /** {@code stacks} with a margin of at least the guarantee. */
    static StackConfig stackConfig(AgentOptions options, StackConfig stacks) {
        int bytes = options.has(AgentOptions.GUARANTEE) ? options.get(AgentOptions.GUARANTEE) : 0;
        return stacks.margin() < bytes ? stacks.withMargin(bytes) : stacks;
    }

    /** The placed checks; {@link CheckSites#NONE} without the option. */
    static CheckSites checkSites(AgentOptions options) {
        if (!options.has(AgentOptions.GUARANTEE)) {
            return CheckSites.NONE;
        }
        long start = System.nanoTime();
        int bytes = options.get(AgentOptions.GUARANTEE);
        Guarantee.Plan plan = Guarantee.plan(System.getProperty("java.class.path", ""), KernelScope.of(options),
                options.threshold(), options.thresholdBasis(), bytes);
        for (String problem : plan.problems()) {
            Log.error("guarantee: skipped " + problem);
        }
        for (String entry : plan.missing()) {
            Log.info("guarantee: class path entry '" + entry + "' does not exist; ignored, as the JVM ignores it");
        }
        Log.info("guarantee=" + bytes + ": analysed " + plan.analysis().kernelClasses().size()
                + " kernel classes on the class path in " + (System.nanoTime() - start) / 1_000_000 + " ms, "
                + plan.sites().forced().size() + " extra checks, bound " + plan.analysis().placement().bound().bound()
                + " bytes; kernel classes not on the class path get a check in every method");
        return plan.sites();
    }
}

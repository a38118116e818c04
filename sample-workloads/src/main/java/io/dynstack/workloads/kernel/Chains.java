package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Modelled;

/**
 * The chain-of-small-functions objection: an ioctl whose handler, itself checked, calls a long
 * chain of helpers that are each below the threshold, so no check runs while the chain goes deep.
 * The objection needs a handler and a helper of chosen sizes, so both are modelled.
 */
final class Chains {

    private Chains() {
    }

    /** drm_ioctl(): a 128-byte argument copy on the stack; checked at the default threshold. */
    @Modelled(linux = "drm_ioctl", value = "in module drm, which the data file does not have")
    @Frame(bytes = 208)
    static int drmIoctl(int helpers) {
        return helper(helpers);
    }

    @Modelled("the objection's helper: one 48-byte function called 100 deep, no one kernel function")
    @Frame(bytes = 48)
    static int helper(int left) {
        return left <= 1 ? 1 : helper(left - 1) + 1;
    }
}

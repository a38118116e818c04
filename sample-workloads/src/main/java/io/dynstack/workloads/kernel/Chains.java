package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;

/**
 * The chain-of-small-functions objection: an ioctl whose handler, itself checked, calls a long
 * chain of helpers that are each below the threshold, so no check runs while the chain goes deep.
 */
final class Chains {

    private Chains() {
    }

    @Frame(bytes = 64)
    static int ioctl(int helpers) {
        return drmIoctl(helpers);
    }

    /** drm_ioctl(): a 128-byte argument copy on the stack; checked at the default threshold. */
    @Frame(bytes = 208)
    static int drmIoctl(int helpers) {
        return helper(helpers);
    }

    @Frame(bytes = 48)
    static int helper(int left) {
        return left <= 1 ? 1 : helper(left - 1) + 1;
    }
}

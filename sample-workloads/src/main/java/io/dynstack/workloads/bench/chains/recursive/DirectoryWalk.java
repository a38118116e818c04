package io.dynstack.workloads.bench.chains.recursive;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.bench.Inline;

/**
 * A recursive chain: a walk down {@value #DEPTH} nested directories, one frame per level, as
 * recursive lookups (overlayfs over overlayfs, symlink following, nested device mappers) stack up
 * in the kernel. The level's frame of 80 bytes is under the kernel's threshold of 100, so the
 * default configuration checks none of them although together they need two pages.
 */
public final class DirectoryWalk {

    static final int DEPTH = 80;

    private DirectoryWalk() {
    }

    @Frame(bytes = 128)
    public static long run(long x) {
        return lookup(DEPTH, x);
    }

    @Frame(bytes = 80)
    static long lookup(int level, long dentry) {
        if (level == 0) {
            return dentry;
        }
        return lookup(level - 1, Inline.mix(dentry)) ^ level;
    }
}

package io.dynstack.workloads.bench;

/**
 * Helpers the chains call that stand for C {@code static inline} functions: they have no frame of
 * their own in the kernel, so they live outside the woven packages and get no accounting.
 */
public final class Inline {

    private Inline() {
    }

    /** A cheap bijective mix, the stand-in for the bookkeeping each layer does on the way down. */
    public static long mix(long x) {
        return Long.rotateLeft(x * 0x9E3779B97F4A7C15L, 17) + 0x7F4A7C15L;
    }

    /** FNV-1a over the block's words: the real work of a frame in the chain that does some. */
    public static long fnv1a(long[] block, long h) {
        for (long word : block) {
            h = (h ^ word) * 0x100000001B3L;
        }
        return h;
    }
}

package io.dynstack.workloads.bench;

import io.dynstack.workloads.bench.chains.recursive.DirectoryWalk;
import io.dynstack.workloads.bench.chains.small.SmallFrames;
import io.dynstack.workloads.bench.chains.syscall.SyscallMix;
import io.dynstack.workloads.bench.chains.work.CryptWrite;
import java.util.Arrays;

/** The chains the overhead benchmarks measure, by the name the sweep uses for them. */
public enum Chain {

    SYSCALL_MIX("syscall-mix", "syscallMix") {
        @Override
        long runOnce(long seed) {
            return SyscallMix.run(seed);
        }
    },
    SMALL_FRAMES("small-frames", "smallFrames") {
        @Override
        long runOnce(long seed) {
            return SmallFrames.run((int) seed);
        }
    },
    RECURSIVE("recursive", "recursive") {
        @Override
        long runOnce(long seed) {
            return DirectoryWalk.run(seed);
        }
    },
    REAL_WORK("real-work", "realWork") {
        @Override
        long runOnce(long seed) {
            return CryptWrite.run(block(seed), seed);
        }
    };

    /** Words in the block the real-work chain hashes at every frame. */
    static final int BLOCK_WORDS = 16;

    final String id;
    /** The {@link ChainOverhead} method that measures this chain. */
    final String benchmark;

    Chain(String id, String benchmark) {
        this.id = id;
        this.benchmark = benchmark;
    }

    public String id() {
        return id;
    }

    /** One op of the chain, as one invocation of its benchmark runs it. */
    abstract long runOnce(long seed);

    static long[] block(long seed) {
        long[] block = new long[BLOCK_WORDS];
        for (int i = 0; i < block.length; i++) {
            block[i] = Inline.mix(seed + i);
        }
        return block;
    }

    public static Chain byId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no chain '" + id + "'; chains: "
                        + Arrays.stream(values()).map(Chain::id).toList()));
    }
}

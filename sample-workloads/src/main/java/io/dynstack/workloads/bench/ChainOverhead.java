package io.dynstack.workloads.bench;

import io.dynstack.workloads.bench.chains.recursive.DirectoryWalk;
import io.dynstack.workloads.bench.chains.small.SmallFrames;
import io.dynstack.workloads.bench.chains.syscall.SyscallMix;
import io.dynstack.workloads.bench.chains.work.CryptWrite;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What does one op of a kernel call chain cost under the agent, at a given threshold?
 *
 * <p>This class has no idea of the agent: the same benchmark is run once without it and once per
 * configuration with {@code -javaagent:dynstack-agent.jar=kernel=io.dynstack.workloads.bench.chains.**,...}
 * in the fork's JVM arguments ({@link Sweep} does that for every threshold). The glob weaves only
 * the chain classes, never this harness. Pitfalls handled: the inputs come from non-final state
 * fields, so the uninstrumented chains cannot be folded into constants, and every result goes to a
 * Blackhole, so none is dead code. Stacks are grown by the first ops of the warm-up, so what is
 * measured is the steady state of entry, exit and check; that needs {@code fault=grow} for the
 * configurations that leave a deep chain unchecked, else its first op panics.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class ChainOverhead {

    private long seed;
    private long[] block;

    @Setup
    public void setUp() {
        seed = System.nanoTime();
        block = Chain.block(seed);
    }

    @Benchmark
    public void syscallMix(Blackhole bh) {
        bh.consume(SyscallMix.run(seed));
    }

    @Benchmark
    public void smallFrames(Blackhole bh) {
        bh.consume(SmallFrames.run((int) seed));
    }

    @Benchmark
    public void recursive(Blackhole bh) {
        bh.consume(DirectoryWalk.run(seed));
    }

    @Benchmark
    public void realWork(Blackhole bh) {
        bh.consume(CryptWrite.run(block, seed));
    }
}

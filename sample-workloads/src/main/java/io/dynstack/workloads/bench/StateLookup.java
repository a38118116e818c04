package io.dynstack.workloads.bench;

import io.dynstack.runtime.KernelStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast does a woven method find its thread's stack: the runtime's {@code StackTable} (behind
 * {@link KernelStack#current()}: one compare for the first thread to install a stack, thread id
 * indexed chunks for any other), a {@link ThreadLocal}, or a field on a {@link Thread} subclass?
 *
 * <p>All three run on the same threads, {@link KernelThreadExecutor.KernelThread}s, so the field
 * read is possible and nothing else differs. Pitfalls handled: the looked-up stack is returned to
 * JMH's Blackhole; {@code currentThread} is the floor every lookup starts from; and since a
 * ThreadLocal's cost depends on how full the thread's map is (a hash probe that may collide),
 * {@code otherThreadLocals} fills the map with that many other entries first, as a real
 * application's threads have; with {@code firstThread=false} another thread installs a stack
 * first and stays alive, so that the benchmark's thread finds its own in the chunks. Runs without
 * the agent: the runtime comes from the class path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=io.dynstack.workloads.bench.KernelThreadExecutor"})
public class StateLookup {

    private static final ThreadLocal<KernelStack> STACK = new ThreadLocal<>();

    @Param({"0", "64"})
    private int otherThreadLocals;

    @Param({"true", "false"})
    private boolean firstThread;

    private final List<ThreadLocal<Object>> others = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);

    @Setup
    public void setUp() throws InterruptedException {
        if (!firstThread) {
            CountDownLatch attached = new CountDownLatch(1);
            Thread.ofPlatform().daemon().start(() -> {
                KernelStack.current();
                attached.countDown();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            attached.await();
        }
        KernelStack stack = KernelStack.current();
        for (int i = 0; i < otherThreadLocals; i++) {
            ThreadLocal<Object> other = new ThreadLocal<>();
            other.set(i);
            others.add(other);
        }
        STACK.set(stack);
        ((KernelThreadExecutor.KernelThread) Thread.currentThread()).stack = stack;
    }

    @TearDown
    public void tearDown() {
        done.countDown();
    }

    @Benchmark
    public Thread currentThread() {
        return Thread.currentThread();
    }

    @Benchmark
    public KernelStack stackTable() {
        return KernelStack.current();
    }

    @Benchmark
    public KernelStack threadLocal() {
        return STACK.get();
    }

    @Benchmark
    public KernelStack threadField() {
        return ((KernelThreadExecutor.KernelThread) Thread.currentThread()).stack;
    }
}

package io.dynstack.workloads.jfr;

import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.WovenMethods;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What do the JFR events cost a grow when no recording runs?
 *
 * <p>Each operation is one grow: a checked 5000-byte entry on a stack whose pages were all given
 * back by the previous operation's park (release at park), so the check maps two pages every
 * time. The same operation runs in three JVMs: with the events switched off at class
 * initialisation ({@code -Ddynstack.jfr=false}, the code as it was before the events: the JIT
 * folds the guard away), with the events in and no recording, and with a recording that commits
 * every grow. Each fork sets up its own kernel, and the result is returned so the work is not
 * eliminated. {@code growAndRelease} is registered as a woven method, as the agent would register
 * it, so that a recorded grow finds its method right above the runtime's frames, as in woven code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class GrowEventsBenchmark {

    /** Two pages below the top: every operation grows by 8 KiB. */
    private static final int FRAME = 5000;

    private KernelStack stack;

    @Setup(Level.Trial)
    public void kernel() {
        Kernel.configure(StackConfig.DEFAULT.withReleaseAtPark(true));
        WovenMethods.register(List.of(new WovenMethods.Method(WovenMethods.nextId(), GrowEventsBenchmark.class.getName(), "growAndRelease",
                "()I", FRAME, true, 0)));
        stack = KernelStack.current();
    }

    private int growAndRelease() {
        int saved = stack.enterChecked(FRAME);
        int mapped = stack.mappedBytes();
        stack.restore(saved);
        stack.park();
        return mapped;
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = "-Ddynstack.jfr=false")
    public int growWithoutEvents() {
        return growAndRelease();
    }

    @Benchmark
    @Fork(2)
    public int growWithEventsNoRecording() {
        return growAndRelease();
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = "-XX:StartFlightRecording=settings=profile,maxsize=64m")
    public int growWithEventsRecording() {
        return growAndRelease();
    }
}

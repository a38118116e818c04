package io.dynstack.workloads.bench;

import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
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

/**
 * How many classes per second does the weaver get through, treating every class of a large real
 * library as kernel code?
 *
 * <p>The classes are every class file of Guava (the jar is nested in the benchmarks jar as data),
 * read into memory once: one op weaves the next class with {@link ClassWeaver}, bytes in, bytes
 * out, so the figure is weaving alone, with no class loading, no Byte Buddy matching and no I/O.
 * Ops per second are classes per second. Pitfalls handled: the woven bytes go to the Blackhole
 * (returned), and the classes are cycled in jar order, so a measurement covers the whole mix of
 * small and large classes rather than one class the JIT could specialise for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// ASM's code takes some 10 s of weaving to be compiled: before that the figure is the cold one.
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class WeavingThroughput {

    static final String DATA_JAR = "data/guava.jar";

    private final ClassWeaver weaver = new ClassWeaver(new WeaveConfig(WeaveConfig.DEFAULT_THRESHOLD));
    private byte[][] classes;
    private int next;

    @Setup
    public void setUp() {
        classes = classFiles(DATA_JAR).toArray(byte[][]::new);
    }

    @Benchmark
    public byte[] weave() {
        byte[] classFile = classes[next];
        next = next + 1 == classes.length ? 0 : next + 1;
        return weaver.weave(classFile).bytes();
    }

    /** Every class file in the jar nested at {@code resource}, in jar order (module-info excluded). */
    static List<byte[]> classFiles(String resource) {
        List<byte[]> files = new ArrayList<>();
        try (InputStream in = WeavingThroughput.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing next to " + WeavingThroughput.class
                        + "; build with ./mvnw package");
            }
            JarInputStream jar = new JarInputStream(in);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    buffer.reset();
                    jar.transferTo(buffer);
                    files.add(buffer.toByteArray());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}

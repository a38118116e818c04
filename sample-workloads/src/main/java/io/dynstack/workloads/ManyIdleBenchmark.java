package io.dynstack.workloads;

import io.dynstack.workloads.kernel.Syscalls;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The millions-of-threads case as a measurement: N virtual threads parked in futex wait, once
 * without the agent and once under it (one page mapped per stack), each in its own JVM. With all
 * threads parked and after a full GC, a class histogram splits the heap: the simulation's own
 * objects (the {@code io.dynstack.runtime} classes: each stack and its slot in the thread-id table)
 * divided by N is what a simulated stack costs beyond the JVM's own thread; the growth of the
 * virtual threads' stack chunks is the cost of the woven frames themselves (two more locals each),
 * reported apart. The time is from creating the threads until the last one is parked.
 *
 * <pre>java -cp sample-workloads/target/classes io.dynstack.workloads.ManyIdleBenchmark --threads 1000000</pre>
 */
public final class ManyIdleBenchmark {

    private static final String MARKER = "MANY-IDLE ";
    private static final String USAGE = "usage: ManyIdleBenchmark [--threads N]";

    private ManyIdleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--child")) {
            child(Integer.parseInt(args[1]), args[2]);
            return;
        }
        int threads;
        try {
            threads = threads(args);
        } catch (IllegalArgumentException e) {
            System.err.println("many-idle: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path agent = AgentJar.find();
        if (!Files.isRegularFile(agent)) {
            System.err.println("many-idle: no agent jar at " + agent + "; build it with ./mvnw -q package -DskipTests");
            System.exit(2);
            return;
        }
        String heap = "-Xmx" + Math.max(2, threads / 100_000 + 2) + "g";
        long[] plain = runChild(threads, heap, null);
        long[] woven = runChild(threads, heap, agent);
        System.out.printf(Locale.ROOT, "many-idle, %,d virtual threads parked in futex wait (%s, JDK %s)%n", threads,
                heap, Runtime.version().feature());
        System.out.printf(Locale.ROOT, "  without the agent: heap %,d bytes, stack chunks %,d bytes, create and park %,d ms%n",
                plain[0], plain[2], plain[1]);
        System.out.printf(Locale.ROOT, "  under the agent:   heap %,d bytes, stack chunks %,d bytes, create and park %,d ms%n",
                woven[0], woven[2], woven[1]);
        System.out.printf(Locale.ROOT, "  per simulated stack: %.1f bytes of simulation objects beyond the JVM's own thread%n",
                (double) woven[3] / threads);
        System.out.printf(Locale.ROOT, "  per thread, woven frames in the parked stack chunk: %+.1f bytes; whole heap: %+.1f bytes%n",
                (double) (woven[2] - plain[2]) / threads, (double) (woven[0] - plain[0]) / threads);
    }

    /** The number of threads {@code [--threads N]} asks for, one million without it. */
    static int threads(String[] args) {
        if (args.length == 0) {
            return 1_000_000;
        }
        if (!args[0].equals("--threads")) {
            throw new IllegalArgumentException("unknown argument '" + args[0] + "'; " + USAGE);
        }
        if (args.length == 1) {
            throw new IllegalArgumentException("--threads needs a value; " + USAGE);
        }
        if (args.length > 2) {
            throw new IllegalArgumentException("unexpected argument '" + args[2] + "'; " + USAGE);
        }
        if (!args[1].matches("\\d{1,9}") || Integer.parseInt(args[1]) < 1) {
            throw new IllegalArgumentException("--threads takes a whole number of at least 1, not '" + args[1] + "'");
        }
        return Integer.parseInt(args[1]);
    }

    /** Heap bytes after GC with all threads parked, ms to create and park them, stack chunk bytes, simulation bytes. */
    private static long[] runChild(int threads, String heap, Path agent) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-Xshare:off"));
        if (agent != null) {
            command.add("-javaagent:" + agent + "=kernel=" + CellRunner.KERNEL_GLOB);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ManyIdleBenchmark.class.getName(),
                "--child", Integer.toString(threads), agent == null ? "plain" : "woven"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains(MARKER)) {
            throw new IllegalStateException("child failed: " + out);
        }
        String[] fields = out.substring(out.indexOf(MARKER) + MARKER.length()).strip().split(" ");
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                Long.parseLong(fields[3])};
    }

    private static void child(int threads, String mode) throws Exception {
        Idle.expect(threads);
        long start = System.nanoTime();
        List<Thread> started = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            int key = i;
            started.add(Thread.ofVirtual().unstarted(() -> Syscalls.entrySyscall64(Syscalls.FUTEX_WAIT, key)));
        }
        for (Thread t : started) {
            t.start();
        }
        if (!Idle.awaitAllParked(600)) {
            throw new IllegalStateException("threads did not park");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long heap = 0;
        for (int i = 0; i < 3; i++) {
            System.gc();
            heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        long chunks = 0;
        long simulation = 0;
        for (String line : classHistogram().lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                long bytes = Long.parseLong(f[2]);
                if (f[3].equals("jdk.internal.vm.StackChunk")) {
                    chunks += bytes;
                } else if (f[3].contains("io.dynstack.runtime.")) {
                    simulation += bytes;
                }
            }
        }
        System.out.println(MARKER + heap + " " + millis + " " + chunks + " " + simulation + " " + mode);
        Idle.releaseAll();
        for (Thread t : started) {
            t.join();
        }
    }

    /** What {@code jcmd <pid> GC.class_histogram} prints, asked of this JVM. */
    private static String classHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
}

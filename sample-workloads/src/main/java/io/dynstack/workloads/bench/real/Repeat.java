package io.dynstack.workloads.bench.real;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The steady state of a side-by-side program: its whole work {@code times} times in one JVM, the
 * first runs warming the JIT up, then a line on stderr with how long the last {@code last} took.
 * The work is the Eclipse compiler's batch compile ({@code compiler}, with the compiler's own
 * arguments) or the SQL script ({@code sql SCRIPT}, a fresh in-memory database each time). The
 * compiler is reached by reflection: it is data on the program's class path, not a dependency.
 *
 * <pre>java -cp ecj.jar:DRIVERS io.dynstack.workloads.bench.real.Repeat TIMES LAST compiler ARGS...</pre>
 */
public final class Repeat {

    /** The stderr line that carries the timing, read back by {@link SideBySide}. */
    static final String STEADY = "steady seconds ";

    private Repeat() {
    }

    public static void main(String[] args) throws Exception {
        int times = Integer.parseInt(args[0]);
        int last = Integer.parseInt(args[1]);
        String[] work = Arrays.copyOfRange(args, 3, args.length);
        Runnable once = switch (args[2]) {
            case "compiler" -> compiler(work);
            case "sql" -> () -> sql(work);
            default -> throw new IllegalArgumentException("unknown work '" + args[2] + "': compiler or sql");
        };
        long steady = 0;
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            once.run();
            if (i >= times - last) {
                steady += System.nanoTime() - start;
            }
        }
        System.err.println(STEADY + steady / 1e9);
    }

    private static Runnable compiler(String[] work) throws ReflectiveOperationException {
        Class<?> progress = Class.forName("org.eclipse.jdt.core.compiler.CompilationProgress");
        Method compile = Class.forName("org.eclipse.jdt.core.compiler.batch.BatchCompiler")
                .getMethod("compile", String[].class, PrintWriter.class, PrintWriter.class, progress);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return () -> {
            try {
                if (!(boolean) compile.invoke(null, work, out, err, null)) {
                    throw new IllegalStateException("the compiler reported errors; see stderr");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void sql(String[] work) {
        try {
            SqlScript.main(work);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

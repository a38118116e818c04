package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Class files of the newest version the running JDK supports, compiled from source at test time
 * with {@code --release} set to the JDK's feature version: records, sealed types, pattern
 * switches, lambdas, try-with-resources, nested classes and, from Java 25, a constructor with a
 * try/catch before super(). Woven, they pass both verifiers and compute what the originals do.
 */
class NewestClassFileTest {

    private static final int FEATURE = Runtime.version().feature();

    private static final String SOURCE = """
            package newest;

            import java.util.function.IntUnaryOperator;

            public final class Newest {
                sealed interface Shape permits Circle, Square {}
                record Circle(int r) implements Shape {}
                record Square(int side) implements Shape {}

                static long area(Shape s) {
                    return switch (s) {
                        case Circle(int r) when r < 0 -> throw new IllegalArgumentException("radius " + r);
                        case Circle(int r) -> 3L * r * r;
                        case Square(int side) -> (long) side * side;
                    };
                }

                static final class Resource implements AutoCloseable {
                    final StringBuilder log;
                    Resource(StringBuilder log) { this.log = log; log.append("open;"); }
                    public void close() { log.append("close;"); }
                }

                static final class Guarded {
                    final int w;
                    Guarded(int v) {
                        CONSTRUCTOR_PROLOGUE
                        super();
                        this.w = w;
                    }
                }

                public static String run(int n) {
                    StringBuilder out = new StringBuilder();
                    IntUnaryOperator twice = x -> { if (x == 7) throw new IllegalStateException("seven"); return 2 * x; };
                    for (int i = -1; i < n; i++) {
                        Shape s = i % 2 == 0 ? new Circle(i) : new Square(i);
                        try (Resource r = new Resource(out)) {
                            out.append(area(s)).append(',').append(twice.applyAsInt(i)).append(',');
                            out.append(new Guarded(i).w).append(';');
                        } catch (RuntimeException e) {
                            out.append(e.getClass().getSimpleName()).append(':').append(e.getMessage()).append(';');
                        }
                    }
                    return out.toString();
                }
            }
            """;

    /** From Java 25 statements may come before super(); before that the same values, computed after it. */
    private static final String PROLOGUE = FEATURE >= 25 ? """
            int w;
            try {
                w = 100 / v;
            } catch (ArithmeticException e) {
                w = -1;
            }
            if (v > 8) throw new IllegalArgumentException("too big " + v);
            """ : "int w = v == 0 ? -1 : 100 / v;";

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @Test
    void classesOfTheRunningJdksVersionWeaveAndComputeTheSame() throws Exception {
        Map<String, byte[]> original = compile(SOURCE.replace("CONSTRUCTOR_PROLOGUE", PROLOGUE));
        assertTrue(original.size() >= 6, original.keySet().toString());
        ClassLoader plainLoader = loaderOf(original);
        Map<String, byte[]> woven = new TreeMap<>();
        ClassWeaver weaver = new ClassWeaver(new WeaveConfig(0));
        for (Map.Entry<String, byte[]> c : original.entrySet()) {
            byte[] bytes = c.getValue();
            assertEquals(44 + FEATURE, (bytes[6] & 0xFF) << 8 | (bytes[7] & 0xFF), "major version of " + c.getKey());
            byte[] w = weaver.weave(bytes).bytes();
            assertEquals("", ClassCheck.asm(w, plainLoader), "ASM's verifier on woven " + c.getKey());
            woven.put(c.getKey(), w);
        }
        Method plain = runMethod(plainLoader, original);
        Method wovenRun = runMethod(loaderOf(woven), woven);
        for (int n : new int[] {0, 3, 9, 12}) {
            assertEquals(outcome(plain, n), outcome(wovenRun, n), "run(" + n + ")");
            assertEquals(StackConfig.DEFAULT.threadSize(), KernelStack.current().sp(), "sp after run(" + n + ")");
        }
        String all = outcome(plain, 12);
        assertTrue(all.contains("IllegalStateException:seven"), all);
        assertTrue(all.contains("open;0,0,-1;close;"), "Guarded(0) caught its division by zero: " + all);
        assertTrue(FEATURE < 25 || all.contains("IllegalArgumentException:too big 9"), "thrown before super(): " + all);
    }

    private static String outcome(Method run, int n) throws IllegalAccessException {
        try {
            return (String) run.invoke(null, n);
        } catch (InvocationTargetException e) {
            return "threw " + e.getCause();
        }
    }

    /** Newest.run, once every class is linked. */
    private static Method runMethod(ClassLoader loader, Map<String, byte[]> classes) throws ReflectiveOperationException {
        for (String name : classes.keySet()) {
            Class.forName(name, false, loader).getDeclaredMethods();
        }
        return Class.forName("newest.Newest", false, loader).getMethod("run", int.class);
    }

    /** A loader of their own for the given classes. */
    private ClassLoader loaderOf(Map<String, byte[]> classes) {
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    /** Compiles {@code source} in memory with --release set to the running JDK; class files by binary name. */
    private static Map<String, byte[]> compile(String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();
        JavaFileManager files = new ForwardingJavaFileManager<>(javac.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return outputs.computeIfAbsent(className, k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///newest/Newest.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, files, null, List.of("--release", String.valueOf(FEATURE)), null,
                List.of(unit)).call();
        assertTrue(ok, diagnostics.toString());
        Map<String, byte[]> classes = new TreeMap<>();
        outputs.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }
}

package io.dynstack.agent;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * The agent's entry point. Does as little as it can before the runtime is reachable: it parses
 * the options (nothing happens if they are wrong), puts the runtime jar nested in the agent jar on
 * the bootstrap search path, so that kernel classes in any class loader resolve the same runtime,
 * and only then touches a runtime class, through {@link Installer}.
 */
public final class DynstackAgent {

    private static final String RUNTIME_JAR = "/META-INF/dynstack/dynstack-runtime.jar";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private DynstackAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    /** The command line: see {@link Commands}. */
    public static void main(String[] args) {
        // System.out flushes at every line; a listing of a large jar has hundreds of thousands.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, System.out.charset());
        int status = Commands.run(args, out, System.err);
        out.flush();
        System.exit(status);
    }

    /**
     * Never ends the JVM: whatever goes wrong, including an Error such as OutOfMemoryError, is one
     * line on stderr and the program runs on without the agent (a transformer already installed
     * is removed again). What start touches in the host, and nothing more: system properties (it
     * reads java.class.path and java.io.tmpdir), a temporary
     * file (the runtime jar) on the bootstrap search path, one transformer and one shutdown hook;
     * with {@code jmx=true} the platform MBean server. No thread, logging or JFR recording starts.
     */
    private static void start(String args, Instrumentation inst) {
        ClassFileTransformer[] installed = new ClassFileTransformer[1];
        try {
            start(args, inst, installed);
        } catch (Throwable t) {
            if (installed[0] != null) {
                inst.removeTransformer(installed[0]);
            }
            System.err.println("dynstack: the agent failed to start (" + t + "); nothing is instrumented, the program"
                    + " runs without dynstack");
        }
    }

    private static void start(String args, Instrumentation inst, ClassFileTransformer[] installed) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            Log.error(e.getMessage() + "; nothing is instrumented, the program runs without dynstack");
            return;
        }
        if (!STARTED.compareAndSet(false, true)) {
            Log.error("the agent is already running in this JVM; options '" + args + "' are ignored");
            return;
        }
        ClassFileLocator runtime;
        try {
            Path jar = extractRuntime();
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
            runtime = ClassFileLocator.ForJarFile.of(jar.toFile());
        } catch (IOException e) {
            Log.error("cannot put the runtime on the bootstrap class path (" + e.getMessage()
                    + "); check that java.io.tmpdir is writable; nothing is instrumented");
            return;
        }
        try {
            installed[0] = Installer.install(options, inst, runtime);
        } catch (IllegalArgumentException e) {
            Log.error(e.getMessage() + "; nothing is instrumented, the program runs without dynstack");
            return;
        }
        Installer.startReporting(options);
    }

    private static Path extractRuntime() throws IOException {
        try (InputStream in = DynstackAgent.class.getResourceAsStream(RUNTIME_JAR)) {
            if (in == null) {
                throw new IOException(RUNTIME_JAR + " is missing from the agent jar; rebuild it");
            }
            Path jar = FreshFile.create(Path.of(System.getProperty("java.io.tmpdir")), "dynstack-runtime-", ".jar");
            jar.toFile().deleteOnExit();
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
            return jar;
        }
    }
}

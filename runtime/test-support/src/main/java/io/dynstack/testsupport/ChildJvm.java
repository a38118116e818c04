package io.dynstack.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started from the running JDK's {@code java}, as a user starts one: JVM options, then
 * the agent, then a main class on a class path or a jar, then the program's arguments, in that
 * order on the command line. Its stdin is closed, so a program that reads it sees end of input.
 */
public final class ChildJvm {

    private final List<String> options = new ArrayList<>();
    private final List<String> program = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private String agent;
    /** A child still running after this is killed and the run fails, instead of hanging the build. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private boolean mergeStderr;

    public static ChildJvm java() {
        return new ChildJvm();
    }

    public ChildJvm options(String... jvmOptions) {
        return options(List.of(jvmOptions));
    }

    public ChildJvm options(List<String> jvmOptions) {
        options.addAll(jvmOptions);
        return this;
    }

    /** {@code -javaagent:jar=agentOptions}, or {@code -javaagent:jar} when the options are empty. */
    public ChildJvm agent(String jar, String agentOptions) {
        agent = "-javaagent:" + jar + (agentOptions.isEmpty() ? "" : "=" + agentOptions);
        return this;
    }

    public ChildJvm main(String classPath, String mainClass) {
        program.clear();
        program.addAll(List.of("-cp", classPath, mainClass));
        return this;
    }

    public ChildJvm jar(String jar) {
        program.clear();
        program.addAll(List.of("-jar", jar));
        return this;
    }

    public ChildJvm args(String... programArgs) {
        args.addAll(List.of(programArgs));
        return this;
    }

    /** stderr into stdout, interleaved as written; the run's stderr is then empty. */
    public ChildJvm mergeStderr() {
        mergeStderr = true;
        return this;
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        if (agent != null) {
            command.add(agent);
        }
        command.addAll(program);
        command.addAll(args);
        return command;
    }

    public Run run() throws IOException, InterruptedException {
        List<String> command = command();
        // Files rather than pipes: a child that fills one stream while the other is read cannot block.
        Path out = Files.createTempFile("dynstack-child-", ".out");
        Path err = Files.createTempFile("dynstack-child-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
            if (mergeStderr) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(err.toFile());
            }
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("child JVM still running after " + TIMEOUT + ": " + String.join(" ", command)
                        + "\nstdout:\n" + text(out) + "\nstderr:\n" + text(err));
            }
            return new Run(p.exitValue(), text(out), text(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** Decoded as a String of the bytes would be: a malformed byte is replaced, not an error. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file));
    }
}

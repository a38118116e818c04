package io.dynstack.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that run the workloads ({@code compare}, {@code sweep}): their code, the workloads
 * and JMH are in the workloads jar, {@code dynstack-benchmarks.jar}, which the agent jar does not
 * carry (it is what {@code -javaagent} loads into every host). Each runs as a child JVM of the
 * same Java on that jar, with this agent jar as its agent, its streams the command's own and its
 * exit status the command's. Both drivers start child JVMs anyway (a cell each, a JMH fork each),
 * so the child costs one JVM start.
 */
final class WorkloadsJar {

    static final String NAME = "dynstack-benchmarks.jar";
    /** Where the build leaves it, from the agent jar in agent/target. */
    private static final Path IN_BUILD = Path.of("..", "..", "sample-workloads", "target", NAME);

    private WorkloadsJar() {
    }

    /** A command that runs {@code mainClass} from the workloads jar with the command's arguments. */
    static Commands.Command command(String name, String mainClass, boolean agentOnClassPath) {
        return (args, out, err) -> run(name, mainClass, agentOnClassPath, args, err);
    }

    private static int run(String name, String mainClass, boolean agentOnClassPath, String[] args, PrintStream err) {
        Path agent = agentJar();
        if (agent == null) {
            err.println("dynstack " + name + ": runs from the agent jar (java -jar dynstack-agent.jar " + name
                    + "), and these classes were loaded from a directory");
            return 2;
        }
        Path workloads = find(agent);
        if (workloads == null) {
            err.println("dynstack " + name + ": needs " + NAME + " (the workloads and JMH) next to " + agent
                    + " or at " + agent.getParent().resolve(IN_BUILD).normalize()
                    + "; build it with ./mvnw -q package -DskipTests");
            return 2;
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The drivers read it when no --agent is given: the jar that started them.
                "-Ddynstack.agent.jar=" + agent,
                "-cp", agentOnClassPath ? workloads + java.io.File.pathSeparator + agent : workloads.toString(),
                mainClass));
        command.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            return child.waitFor();
        } catch (IOException e) {
            err.println("dynstack " + name + ": cannot start " + command.get(0) + " (" + e.getMessage() + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The workloads jar beside the agent jar (a distribution), else where the build puts it. */
    static Path find(Path agent) {
        for (Path candidate : List.of(agent.resolveSibling(NAME), agent.getParent().resolve(IN_BUILD).normalize())) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The jar this class was loaded from; null when it came from a directory (the build's classes). */
    private static Path agentJar() {
        try {
            Path from = Path.of(WorkloadsJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(from) ? from.toAbsolutePath() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}

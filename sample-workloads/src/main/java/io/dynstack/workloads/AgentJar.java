package io.dynstack.workloads;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the agent jar is: the {@code dynstack.agent.jar} property, else the build's agent/target. */
final class AgentJar {

    private static final Path IN_BUILD = Path.of("agent", "target", "dynstack-agent.jar");

    private AgentJar() {
    }

    static Path find() {
        String property = System.getProperty("dynstack.agent.jar");
        if (property != null) {
            return Path.of(property);
        }
        Path dir = classes();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve(IN_BUILD))) {
                return dir.resolve(IN_BUILD);
            }
            dir = dir.getParent();
        }
        return IN_BUILD.toAbsolutePath();
    }

    /** The class path entry these classes came from: a cell JVM gets the same one. */
    static Path classes() {
        try {
            return Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

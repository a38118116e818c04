package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "From a Maven build", for real: a small project compiles its kernel code against
 * {@code @Frame} from {@code io.dynstack:dynstack-runtime} and runs its own tests under the agent
 * through surefire's argLine, with the README's pom snippet pasted in as it stands; an offline
 * Maven builds it against this build's artifacts, and the report has the figures worked out below.
 *
 * <p>The artifacts are laid out as {@code ./mvnw install} lays them out, in a repository under
 * target/ whose every other entry links to the machine's local repository (for the plugins,
 * JUnit and their dependencies, which this build has already resolved): so the test builds
 * against what was just built, offline, and writes nothing into the machine's repository.
 */
class MavenProjectIT {

    private static final Path WORK = Path.of("target", "maven-project-it").toAbsolutePath();
    private static final String VERSION = System.getProperty("dynstack.version");

    @Test
    void aProjectsOwnTestsRunUnderTheAgentWithReportAndExcludes() throws Exception {
        Path repository = repository();
        Path project = project();
        Path log = WORK.resolve("mvn.log");
        ProcessBuilder mvn = new ProcessBuilder(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-o", "-Dmaven.repo.local=" + repository, "test")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // The JDK this build runs on: Maven itself may be started with an older default java.
        mvn.environment().put("JAVA_HOME", System.getProperty("java.home"));
        int exit = mvn.start().waitFor();
        assertEquals(0, exit, Files.readString(log));
        String output = Files.readString(log);
        assertTrue(output.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), output);
        assertTrue(!output.contains("Sharing is only supported"), "the snippet's -Xshare:off keeps the CDS warning out:\n"
                + output);

        JsonNode report = new ObjectMapper().readTree(project.resolve("target/dynstack.json").toFile());
        Map<String, String> entered = new TreeMap<>();
        report.get("methods").forEach(m -> {
            assertTrue(m.get("method").asText().startsWith("com.acme.kernel.Fs."), m.get("method").asText());
            if (m.get("entries").asLong() > 0) {
                entered.put(m.get("method").asText(), "frame " + m.get("frame_size") + " checked " + m.get("checked")
                        + " entries " + m.get("entries") + " deepest " + m.get("max_depth_bytes"));
            }
        });
        // FsTest reads three times: read (256 bytes, at the threshold of 100: checked) calls lookup (64),
        // which calls the generated Codec (8192): excluded, so not woven, not in the report, and no deeper.
        assertEquals(Map.of("com.acme.kernel.Fs.lookup(I)I", "frame 64 checked false entries 3 deepest 320",
                "com.acme.kernel.Fs.read(I)I", "frame 256 checked true entries 3 deepest 256"), entered);
        assertEquals("1 1 3 320 0", report.get("classes_woven") + " " + report.get("checks_inserted") + " "
                + report.get("checks_executed") + " " + report.get("max_depth_bytes") + " " + report.get("panics"));
        assertTrue(report.get("config").get("options_given").toString().contains("com.acme.kernel.generated.**"),
                report.get("config").toString());
    }

    /** This build's artifacts at their install paths; everything else a link into the local repository. */
    private static Path repository() throws IOException {
        Path local = Path.of(System.getProperty("dynstack.local.repository"));
        Path repository = WORK.resolve("repository");
        deleteTree(WORK);
        Files.createDirectories(repository.resolve("io"));
        link(local, repository, "io");
        link(local.resolve("io"), repository.resolve("io"), "dynstack");
        Path root = Path.of("..").toAbsolutePath().normalize();
        install(repository, "dynstack-parent", root.resolve("pom.xml"), null);
        install(repository, "dynstack-runtime", root.resolve("runtime/pom.xml"),
                root.resolve("runtime/target/dynstack-runtime-" + VERSION + ".jar"));
        install(repository, "dynstack-agent", root.resolve("agent/pom.xml"), Path.of(System.getProperty("dynstack.agent.jar")));
        return repository;
    }

    private static void link(Path from, Path to, String except) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().equals(except)) {
                    Files.createSymbolicLink(to.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
    }

    private static void install(Path repository, String artifact, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(repository.resolve("io/dynstack/" + artifact + "/" + VERSION));
        Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            assertTrue(Files.isRegularFile(jar), jar + " is built before the integration tests");
            Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The project: the README's snippet inside a pom that pins the plugins this build uses. */
    private static Path project() throws IOException {
        Path project = WORK.resolve("project");
        String[] snippet = readmeSnippet();
        Files.createDirectories(project);
        Files.writeString(project.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.acme</groupId>
                  <artifactId>acme-kernel</artifactId>
                  <version>1.0</version>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <maven.compiler.release>21</maven.compiler.release>
                  </properties>
                  <dependencies>
                %s
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                  <build>
                    <pluginManagement>
                      <plugins>
                        <plugin><artifactId>maven-resources-plugin</artifactId><version>%s</version></plugin>
                        <plugin><artifactId>maven-compiler-plugin</artifactId><version>%s</version></plugin>
                        <plugin><artifactId>maven-surefire-plugin</artifactId><version>%s</version></plugin>
                      </plugins>
                    </pluginManagement>
                    <plugins>
                %s
                    </plugins>
                  </build>
                </project>
                """.formatted(snippet[0], System.getProperty("junit.version"), System.getProperty("resources.version"),
                System.getProperty("compiler.version"), System.getProperty("surefire.version"), snippet[1]));
        write(project, "src/main/java/com/acme/kernel/Fs.java", """
                package com.acme.kernel;

                import com.acme.kernel.generated.Codec;
                import io.dynstack.annotation.Frame;

                public final class Fs {
                    @Frame(bytes = 256)
                    public static int read(int block) {
                        return lookup(block) + 1;
                    }

                    @Frame(bytes = 64)
                    static int lookup(int block) {
                        return Codec.decode(block);
                    }
                }
                """);
        write(project, "src/main/java/com/acme/kernel/generated/Codec.java", """
                package com.acme.kernel.generated;

                import io.dynstack.annotation.Frame;

                public final class Codec {
                    @Frame(bytes = 8192)
                    public static int decode(int block) {
                        return block * 2;
                    }
                }
                """);
        write(project, "src/test/java/com/acme/FsTest.java", """
                package com.acme;

                import static org.junit.jupiter.api.Assertions.assertEquals;

                import com.acme.kernel.Fs;
                import org.junit.jupiter.api.Test;

                class FsTest {
                    @Test
                    void readsThreeBlocks() {
                        assertEquals(3, Fs.read(1));
                        assertEquals(5, Fs.read(2));
                        assertEquals(7, Fs.read(3));
                    }
                }
                """);
        return project;
    }

    /** The README's pom snippet: the dependency, and the plugin after the "..." line. */
    private static String[] readmeSnippet() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("### From a Maven build\\n.*?```xml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has a pom snippet under \"### From a Maven build\"");
        String[] parts = m.group(1).split("\\n\\.\\.\\.\\n");
        assertEquals(2, parts.length, "the snippet is a dependency, a line '...', and a plugin:\n" + m.group(1));
        return parts;
    }

    private static void write(Path project, String file, String text) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    deleteTree(entry);
                }
            }
        }
        Files.delete(dir);
    }
}

package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar dynstack-agent.jar analyze ...}: the report on stdout and the documented exit statuses. */
class AnalyzeJarIT {

    private static final String FIXTURES = "io.dynstack.agent.analyze.fixture.**";
    private static final Path DIAMOND = Path.of("target", "test-classes", "io", "dynstack", "agent", "analyze",
            "fixture", "diamond", "Diamond.class").toAbsolutePath();

    @TempDir
    Path dir;

    static Run jar(String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("dynstack.agent.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "build the agent jar first: " + jar);
        return ChildJvm.java().jar(jar).args(args).run();
    }

    @Test
    void analysisOfAClassDirectoryExitsZeroWithTheWholeReport() throws Exception {
        Run run = jar("analyze", DIAMOND.getParent().toString(), "--kernel", FIXTURES, "--margin", "64");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stderr());
        assertTrue(run.stdout().startsWith(
                "dynstack analyze: 1 classes read, 1 kernel classes, 4 kernel methods, threshold 100\n"), run.stdout());
        assertTrue(run.stdout().endsWith("  run with the agent option guarantee=64 (or margin=64 and these checks) for no"
                + " fault short of THREAD_SIZE\n"), "the last line is not lost in the buffer: " + run.stdout());
    }

    @Test
    void corruptClassInAJarExitsOneAfterTheReport() throws Exception {
        Path jar = dir.resolve("kernel.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("io/dynstack/agent/analyze/fixture/diamond/Diamond.class"));
            out.write(Files.readAllBytes(DIAMOND));
            out.putNextEntry(new JarEntry("com/acme/Garbage.class"));
            out.write("not a class".getBytes());
        }

        Run run = jar("analyze", jar.toString(), "--kernel", FIXTURES, "--json");

        assertEquals(1, run.exit());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertTrue(run.stderr().startsWith("dynstack analyze: skipped kernel.jar!com/acme/Garbage.class: not a valid"
                + " class file ("), run.stderr());
        assertTrue(run.stdout().startsWith("{\"schema_version\":1,\"classes_read\":1,\"kernel_classes\":1,\"threshold\":100,"
                + "\"threshold_basis\":\"frame\",\"skipped\":[{\"origin\":\"kernel.jar!com/acme/Garbage.class\""), run.stdout());
    }

    @Test
    void badArgumentExitsTwoWithOneLine() throws Exception {
        Run run = jar("analyze", DIAMOND.getParent().toString(), "--threshold", "lots");

        assertEquals(2, run.exit());
        assertEquals("", run.stdout());
        assertTrue(run.stderr().startsWith("dynstack analyze: bad value 'lots' for option '--threshold': "),
                run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
    }

    @Test
    void theJarWithoutACommandSaysHowToUseItAndExitsTwo() throws Exception {
        Run run = jar();

        assertEquals(2, run.exit());
        assertEquals("", run.stdout());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertTrue(run.stderr().startsWith("dynstack: no command given; commands: analyze"), run.stderr());
    }

    @Test
    void helpListsTheCommandsAndExitsZero() throws Exception {
        Run run = jar("--help");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stderr());
        assertTrue(run.stdout().contains("  analyze       static analysis"), run.stdout());
    }
}

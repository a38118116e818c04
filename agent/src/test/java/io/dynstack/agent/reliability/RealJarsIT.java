package io.dynstack.agent.reliability;

import static io.dynstack.agent.ReportJson.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real libraries doing real work with the agent weaving them as kernel code, in a child JVM: a
 * compiler (janino, which also compiles and runs a class the agent then weaves as it loads), a
 * parser (jackson-core) and two collections libraries, one of them Java 1.3 class files. The
 * output is the same as without the agent, nothing is skipped, and sp ends at the top.
 */
class RealJarsIT {

    private static final String KERNEL = String.join(":", "org.codehaus.janino.**", "org.codehaus.commons.compiler.**",
            "com.fasterxml.jackson.core.**", "org.apache.commons.collections4.**", "org.apache.commons.collections.**",
            "Snippet");
    /** 1 GiB, a multiple of the page: library code goes deep, and the point here is unwinding, not panics. */
    private static final long THREAD_SIZE = 1L << 30;

    @TempDir
    Path dir;

    private static Run java(String agentOptions) throws Exception {
        List<String> classpath = new ArrayList<>(List.of(Path.of("target", "test-classes").toAbsolutePath().toString()));
        for (String probe : List.of("org.codehaus.janino.Compiler", "org.codehaus.commons.compiler.CompileException",
                "com.fasterxml.jackson.core.JsonFactory", "org.apache.commons.collections4.CollectionUtils",
                "org.apache.commons.collections.CollectionUtils")) {
            classpath.add(RealJarsTest.jarOf(probe).toString());
        }
        ChildJvm child = ChildJvm.java().options("-Xshare:off");
        if (agentOptions != null) {
            child.agent(System.getProperty("dynstack.agent.jar"), agentOptions);
        }
        return child.main(String.join(File.pathSeparator, classpath), "io.dynstack.testkernel.reliability.LibraryWork")
                .run();
    }

    @Test
    void wovenLibrariesComputeExactlyWhatTheOriginalsCompute() throws Exception {
        Run plain = java(null);
        assertEquals(0, plain.exit(), plain.stderr());
        assertEquals(13, plain.stdout().lines().count(), plain.stdout());

        Path report = dir.resolve("report.json");
        Run woven = java("kernel=" + KERNEL + ",threshold=0,fault=grow,thread_size=" + (THREAD_SIZE / 1024) + "k,report="
                + report);
        assertEquals(0, woven.exit(), woven.stderr());
        assertEquals(plain.stdout(), woven.stdout());
        assertTrue(woven.stderr().contains("sp at the end: " + THREAD_SIZE + " of " + THREAD_SIZE), woven.stderr());
        assertTrue(Stream.of(woven.stderr().split("\n")).noneMatch(l -> l.contains("cannot weave")), woven.stderr());

        String json = Files.readString(report);
        assertTrue(json.contains("\"classes_skipped\":[]"), json);
        // Bounds, not exact counts: janino reflects on the running JDK's classes, whose members differ by release.
        assertTrue(number(json, "classes_woven") >= 150, json);
        assertEquals(number(json, "methods_woven"), number(json, "checks_inserted"), "threshold 0 checks every method");
        assertTrue(number(json, "checks_executed") > 10_000, json);
        assertEquals(0, number(json, "panics"));
    }
}

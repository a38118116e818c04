package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.testsupport.ChildJvm;
import io.dynstack.testsupport.Run;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built agent jar as a user runs it: {@code import} writes the jar, and a program on it replays
 * a chain under {@code -javaagent} with no {@code kernel=} option (the classes are {@code @KernelCode}).
 */
class ImportJarIT {

    private static final String[] FUTEX = {"entry_SYSCALL_64", "do_syscall_64", "__x64_sys_futex", "do_futex",
            "futex_wait", "futex_wait_queue", "schedule"};

    @TempDir
    Path dir;

    private static Run java(List<String> args) throws IOException, InterruptedException {
        return ChildJvm.java().options("-Xshare:off").options(args).run();
    }

    @Test
    void anImportedChainRunsUnderTheAgentToTheSumOfItsFrames() throws Exception {
        String agent = System.getProperty("dynstack.agent.jar");
        Path data = dir.resolve("futex-chain.kframes");
        try (InputStream in = ImportJarIT.class.getResourceAsStream("futex-chain.kframes")) {
            Files.write(data, in.readAllBytes());
        }
        Path jar = dir.resolve("linux.jar");
        Run imported = java(List.of("-jar", agent, "import", data.toString(), "--out", jar.toString()));
        assertEquals(0, imported.exit(), imported.stderr());

        String classPath = jar + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
        Path report = dir.resolve("report.json");
        List<String> args = new ArrayList<>(List.of("-javaagent:" + agent + "=threshold=100,threshold_basis=locals,report="
                + report, "-cp", classPath, "io.dynstack.testkernel.ReplayMain"));
        args.addAll(List.of(FUTEX));
        Run run = java(args);
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("leaf at depth 632\n", run.stdout());
        String json = Files.readString(report);
        // Woven without kernel=: eight methods, futex_wait the only one with locals of 100 or more.
        assertTrue(json.contains("\"methods_woven\":8"), json);
        assertTrue(json.contains("\"checks_executed\":1"), json);

        args.set(0, "-javaagent:" + agent + "=threshold=100,guarantee=64");
        Run guaranteed = java(args);
        assertEquals("leaf at depth 632\n", guaranteed.stdout(), guaranteed.stderr());
        assertTrue(guaranteed.stderr().contains("expand_stack calls                1"),
                "the guarantee maps its margin before do_syscall_64's indirect call: " + guaranteed.stderr());
    }
}

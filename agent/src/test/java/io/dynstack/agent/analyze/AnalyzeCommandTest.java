package io.dynstack.agent.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.analyze.fixture.diamond.Diamond;
import io.dynstack.agent.analyze.fixture.recursion.Recursion;
import io.dynstack.agent.analyze.fixture.reflect.Reflect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: the report a reader gets, and one line on stderr for each kind of bad argument. */
class AnalyzeCommandTest {

    private static final String DIAMOND = "io.dynstack.agent.analyze.fixture.diamond.Diamond";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void diamondReportExplainsTheBoundFrameByFrame() throws IOException {
        copyDiamond();

        int status = run(dir.toString(), "--kernel", "io.dynstack.agent.analyze.fixture.**", "--margin", "64");

        assertEquals(0, status);
        assertEquals("", err());
        assertEquals("""
                dynstack analyze: 1 classes read, 1 kernel classes, 4 kernel methods, threshold 100

                methods by frame size, largest first (check: 'threshold' where the frame is at or above it, 'margin' placed for margin 64)
                  frame  locals  check      method
                    128     112  threshold  D.top()V
                     64      48             D.right()V
                     48      32             D.left()V
                     32      16  margin     D.bottom()V

                call graph: 4 methods, 4 calls, 1 entries, 0 recursive components

                unchecked-chain bound, with the checks the threshold places:
                  96 bytes, from the check in D.top()V (frame 128, covered by the check)
                      total  frame  method
                               128  D.top()V  [check: maps frame + margin]
                         64     64  D.right()V
                         96     32  D.bottom()V
                  no fault with a margin of at least 96 bytes; with less, the frame that reaches an unmapped page faults

                check placement for margin 64: 1 extra checks (0 entries, 0 on cycles, 1 on chains, chain checks a smallest set, by exact search)
                  chain     32  D.bottom()V
                unchecked-chain bound, with these checks and the threshold's:
                  64 bytes, from the check in D.top()V (frame 128, covered by the check)
                      total  frame  method
                               128  D.top()V  [check: maps frame + margin]
                         64     64  D.right()V
                  no fault with a margin of at least 64 bytes; with less, the frame that reaches an unmapped page faults
                  run with the agent option guarantee=64 (or margin=64 and these checks) for no fault short of THREAD_SIZE
                """.replace("D.", DIAMOND + "."), out());
    }

    @Test
    void jsonHasTheBoundAndItsPath() throws IOException {
        copyDiamond();

        assertEquals(0, run(dir.toString(), "--kernel", "io.dynstack.agent.analyze.fixture.**", "--json"));

        String json = out();
        String bound = "\"bound\":{\"bytes\":96,\"unbounded\":false,\"start\":\"D.top()V\",\"start_is_check\":true,"
                + "\"path\":[{\"method\":\"D.right()V\",\"frame\":64,\"total\":64},"
                + "{\"method\":\"D.bottom()V\",\"frame\":32,\"total\":96}]}";
        assertTrue(json.contains("\"reflective_callers\":[],\"recursion\":[]"), json);
        assertTrue(json.contains(bound.replace("D.", DIAMOND + ".")), json);
        assertTrue(json.startsWith("{\"schema_version\":1,\"classes_read\":1,\"kernel_classes\":1,\"threshold\":100,"
                + "\"threshold_basis\":\"frame\",\"skipped\":[],"), json);
        assertTrue(json.contains("{\"method\":\"D.top()V\",\"frame\":128,\"locals\":112,\"checked\":true,"
                .replace("D.", DIAMOND + ".")), json);
        assertEquals(1, json.lines().count());
    }

    @Test
    void recursionWithNoCheckIsUnboundedAndTheLongestChainOutsideItIsShown() throws IOException {
        copyFixture(Recursion.class, "Recursion.class");

        assertEquals(0, run(dir.toString(), "--kernel", "io.dynstack.agent.analyze.fixture.**"));

        String text = out();
        String expected = """

                unchecked-chain bound, with the checks the threshold places:
                  unbounded: recursion with no check on the cycle can take any depth
                    cycle, 80 bytes per turn:
                         32  R.ping(I)V
                         48  R.pong(I)V
                             R.ping(I)V (again)
                  outside the recursion, the longest chain: 48 bytes, from the check in R.walk(I)V (frame 112, covered by the check)
                      total  frame  method
                               112  R.walk(I)V  [check: maps frame + margin]
                         48     48  R.step(I)V
                """.replace("R.", Recursion.class.getName() + ".");
        assertTrue(text.endsWith(expected), text);
        assertTrue(text.contains("call graph: 4 methods, 4 calls, 2 entries, 2 recursive components\n"), text);
    }

    @Test
    void reflectiveCallsAreListedWithTheCallGraph() throws IOException {
        copyFixture(Reflect.class, "Reflect.class");

        assertEquals(0, run(dir.toString(), "--kernel", "io.dynstack.agent.analyze.fixture.**"));

        assertTrue(out().contains("""
                call graph: 14 methods, 12 calls, 2 entries, 0 recursive components
                  reflective calls, targets unknown, in 1 methods (guarantee= maps the margin before each):
                    R.c()I
                """.replace("R.", Reflect.class.getName() + ".")), out());
    }

    @Test
    void corruptClassFileInAJarIsOneStderrLineAndTheRestIsAnalysed() throws IOException {
        Path jar = dir.resolve("kernel.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("io/dynstack/agent/analyze/fixture/diamond/Diamond.class"));
            out.write(Files.readAllBytes(compiled(Diamond.class)));
            out.putNextEntry(new JarEntry("io/dynstack/agent/analyze/fixture/diamond/Broken.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0});
        }

        int status = run(jar.toString(), "--kernel", "io.dynstack.agent.analyze.fixture.**");

        assertEquals(AnalyzeCommand.SKIPPED, status, "the report is complete for the rest, and says it is partial");
        List<String> errors = err().lines().toList();
        assertEquals(1, errors.size(), err());
        assertTrue(errors.get(0).startsWith("dynstack analyze: skipped kernel.jar!io/dynstack/agent/analyze/fixture/"
                + "diamond/Broken.class: not a valid class file ("), errors.get(0));
        List<String> lines = out().lines().toList();
        assertEquals("dynstack analyze: 1 classes read, 1 kernel classes, 4 kernel methods, threshold 100",
                lines.get(0));
        assertEquals("1 class files skipped as unreadable (named on stderr): the bound covers the rest", lines.get(1));
        assertTrue(lines.contains("  96 bytes, from the check in " + DIAMOND + ".top()V (frame 128, covered by the check)"),
                out());
    }

    @Test
    void helpPrintsTheUsage() {
        assertEquals(0, run("--help"));
        assertEquals(AnalyzeCommand.USAGE + "\n", out());
        assertEquals("", err());
    }

    @Test
    void jarThatIsNotAZipIsOneLineNamingIt() throws IOException {
        Path jar = Files.writeString(dir.resolve("broken.jar"), "not a zip");

        assertEquals(AnalyzeCommand.BAD_ARGUMENTS, run(jar.toString()));

        assertEquals("", out());
        assertTrue(err().startsWith("dynstack analyze: cannot read '" + jar + "': "), err());
        assertTrue(err().endsWith("; " + AnalyzeCommand.USAGE + "\n"), err());
        assertEquals(1, err().lines().count());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|no input: name a jar, a directory of classes or a class path",
            "--json|no input: name a jar, a directory of classes or a class path",
            "DIR --frobnicate|unknown option '--frobnicate'",
            "DIR -x|unknown option '-x'",
            "DIR --threshold|--threshold needs a value",
            "DIR --kernel --json|--kernel needs a value",
            "DIR --threshold lots|bad value 'lots' for option '--threshold': expected a frame size in bytes (0 checks every method) or 'none'",
            "DIR --threshold -5|bad value '-5' for option '--threshold': expected a frame size in bytes (0 checks every method) or 'none'",
            "DIR --threshold 99999999999|bad value '99999999999' for option '--threshold': expected a frame size in bytes (0 checks every method) or 'none'",
            "DIR --margin|--margin needs a value",
            "DIR --margin -5|bad value '-5' for option '--margin': expected bytes a check keeps mapped below the new frame, 0 or more",
            "DIR --margin 5x|bad value '5x' for option '--margin': expected bytes a check keeps mapped below the new frame, 0 or more",
            "DIR --margin 64,threshold=0|bad value '64,threshold=0' for option '--margin': expected bytes a check keeps mapped below the new frame, 0 or more",
            "DIR --kernel a,b|bad value 'a,b' for option '--kernel': expected class-name globs separated by ':', e.g. com.acme.kernel.**",
            "DIR --kernel com/acme|bad value 'com/acme' for option '--kernel': expected class-name globs separated by ':', e.g. com.acme.kernel.**",
            "DIR --margin 1 --margin 2|--margin is given twice",
            "DIR DIR|give one input (jars and directories joined with ':'), not both 'DIR' and 'DIR'",
            "/no/such.jar|'/no/such.jar' does not exist; give jars, directories or class files separated by ':'",
            "DIR:/no/such.jar|'/no/such.jar' does not exist; give jars, directories or class files separated by ':'",
            "TEXT|'TEXT' is not a jar, a directory or a class file",
            "EMPTY|no class files in 'EMPTY'",
            "DIR --kernel com.acme.**|no kernel classes among the 1 classes in 'DIR': give --kernel GLOBS (e.g. com.acme.kernel.**) or mark classes @KernelCode",
    })
    void badArgumentIsOneLineAndStatus2(String args, String message) throws IOException {
        copyDiamond();
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "kernel notes");
        String[] argv = args.isEmpty() ? new String[0] : args.split(" ");
        for (int i = 0; i < argv.length; i++) {
            argv[i] = paths(argv[i], empty, text);
        }

        int status = run(argv);

        assertEquals(AnalyzeCommand.BAD_ARGUMENTS, status);
        assertEquals("", out());
        assertEquals("dynstack analyze: " + paths(message, empty, text) + "; " + AnalyzeCommand.USAGE + "\n", err());
    }

    private String paths(String s, Path empty, Path text) {
        return s.replace("DIR", dir.toString()).replace("EMPTY", empty.toString()).replace("TEXT", text.toString());
    }

    private void copyDiamond() throws IOException {
        copyFixture(Diamond.class, "Diamond.class");
    }

    private void copyFixture(Class<?> fixture, String name) throws IOException {
        Files.copy(compiled(fixture), dir.resolve(name));
    }

    private static Path compiled(Class<?> c) {
        return Fixtures.testClasses().resolve(c.getName().replace('.', '/') + ".class");
    }

    private int run(String... args) {
        return AnalyzeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}

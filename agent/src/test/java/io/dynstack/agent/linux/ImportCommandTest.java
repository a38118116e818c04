package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.analyze.AnalyzeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The import command: a jar analyze reads unchanged, the same bytes every time, and one line per bad input. */
class ImportCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Path fixture() throws IOException {
        Path data = dir.resolve("futex-chain.kframes");
        try (InputStream in = ImportCommandTest.class.getResourceAsStream("futex-chain.kframes")) {
            Files.write(data, in.readAllBytes());
        }
        return data;
    }

    private int run(String... args) {
        return ImportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theJarHoldsTheClassesAndTheDataAndAnalyzeReadsIt() throws IOException {
        Path jar = dir.resolve("linux.jar");
        assertEquals(0, run(fixture().toString(), "--out", jar.toString()));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(
                "dynstack import: 8 functions of 0.0.0-fixture in 1 classes, " + jar), out.toString());
        byte[] first = Files.readAllBytes(jar);
        assertEquals(0, run(fixture().toString(), "--out", jar.toString()));
        assertArrayEquals(first, Files.readAllBytes(jar), "the same data gives the same jar");

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int status = AnalyzeCommand.run(new String[] {jar.toString(), "--threshold", "100"},
                new PrintStream(report, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        List<String> lines = report.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("dynstack analyze: 1 classes read, 1 kernel classes, 8 kernel methods, threshold 100", lines.get(0));
        assertTrue(lines.contains("    184     120  threshold  linux.vmlinux.K0000.futex_wait([II[Ljava/lang/Object;)V"),
                String.join("\n", lines));
        assertTrue(lines.contains("  144 bytes, from the entry linux.vmlinux.K0000.__x64_sys_futex([II[Ljava/lang/Object;)V"
                + " (no other kernel method calls it), its own frame counted"), String.join("\n", lines));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "|no input: name a kernel data file (.kframes.gz) or a release shipped in the jar",
            "DATA|no output: give --out FILE.jar",
            "DATA --out|--out needs a value",
            "DATA --out OUT --out OUT|--out is given twice",
            "DATA DATA --out OUT|give one data file, not both 'DATA' and 'DATA'",
            "DATA --jobs 2 --out OUT|unknown option '--jobs'",
            "DIR/none.kframes --out OUT|'DIR/none.kframes' does not exist, and no kernel of that release ships in the jar"
                    + " (the committed one is 6.12.117+deb12-cloud-amd64)",
            "DIR --out OUT|'DIR' is not a file; give a kernel data file (.kframes.gz)",
            "BAD --out OUT|BAD: not a kernel data file (first line is not 'dynstack-kernel-frames 1'); make one with"
                    + " the extract command",
            "DATA --out DIR|--out DIR is a directory; give a file name, e.g. linux.jar",
            "DATA --out DIR/no/such.jar|--out DIR/no/such.jar: directory DIR/no does not exist",
    })
    void badInputIsOneLineWithStatusTwoAndNoJar(String args, String message) throws IOException {
        Path data = fixture();
        Path bad = Files.writeString(dir.resolve("bad.kframes"), "hello\n");
        Path output = dir.resolve("out.jar");
        String[] argv = args == null ? new String[0] : Stream.of(args.split(" "))
                .map(a -> a.replace("DATA", data.toString()).replace("BAD", bad.toString())
                        .replace("OUT", output.toString()).replace("DIR", dir.toString()))
                .toArray(String[]::new);
        assertEquals(2, run(argv));
        String expected = message.replace("DATA", data.toString()).replace("BAD", bad.toString())
                .replace("DIR", dir.toString());
        assertEquals("dynstack import: " + expected + "; " + ImportCommand.USAGE + "\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("bad.kframes", "futex-chain.kframes"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing half-written");
        }
    }
}

package io.dynstack.agent.linux;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code extract <vmlinux> --out FILE [--package TEXT] [--release R]}: reads a kernel's frames and
 * call graph into a data file. Exit status 0, or 2 with one line for a bad argument or input (no
 * file is written then).
 */
public final class ExtractCommand {

    public static final String USAGE = "usage: java -jar dynstack-agent.jar extract <vmlinux> --out FILE.kframes.gz"
            + " [--module MODULE.ko ...] [--package 'NAME VERSION sha256:HEX'] [--release RELEASE]";

    private ExtractCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path input = null;
        Path output = null;
        String pkg = "-";
        String release = null;
        List<Path> modules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    out.println("  --out       the data file to write (gzip-compressed text, see KernelData)");
                    out.println("  --module    a module of the same kernel to read too (repeatable)");
                    out.println("  --package   the Debian package the vmlinux came from, recorded in the header");
                    out.println("  --release   the kernel release, where the vmlinux has no linux_banner");
                    return 0;
                }
                case "--out", "--package", "--release", "--module" -> {
                    if (i + 1 >= args.length) {
                        return bad(err, arg + " needs a value");
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--out" -> output = Path.of(value);
                        case "--package" -> pkg = value;
                        case "--module" -> modules.add(Path.of(value));
                        default -> release = value;
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return bad(err, "unknown option '" + arg + "'");
                    }
                    if (input != null) {
                        return bad(err, "one vmlinux at a time; '" + arg + "' is a second one");
                    }
                    input = Path.of(arg);
                }
            }
        }
        if (input == null || output == null) {
            return bad(err, input == null ? "no vmlinux given" : "no --out file given");
        }
        if (output.toAbsolutePath().getParent() == null || !Files.isDirectory(output.toAbsolutePath().getParent())) {
            return bad(err, "--out " + output + ": its directory does not exist");
        }
        try {
            long started = System.nanoTime();
            Extractor.Result result = Extractor.extract(input, modules, release, pkg);
            result.data().write(output);
            Extractor.Stats s = result.stats();
            out.printf("%s: kernel %s, ORC layout %s: %,d functions (%,d rows with aliases and duplicates)"
                            + " in %.1f s%n", input, result.data().header().release(), result.data().header().orcLayout(),
                    s.functions(), s.rows(), (System.nanoTime() - started) / 1e9);
            out.printf("decoder check: %,d of %,d ORC addresses inside functions fall on decoded instructions, %,d do not;"
                    + " %,d functions stopped at an undecodable byte; %,d jumps into the middle of another function%n",
                    s.orcChecked(), s.orcChecked() + s.orcMisses(), s.orcMisses(), s.undecoded(), s.midFunctionTargets());
            if (!modules.isEmpty()) {
                out.printf("modules: %d read; %,d calls into functions none of the files define%n", modules.size(),
                        s.unresolvedCalls());
            }
            out.println("wrote " + output);
            return 0;
        } catch (IOException e) {
            return fail(err, e.getMessage());
        }
    }

    private static int bad(PrintStream err, String message) {
        err.println("dynstack extract: " + message + "; " + USAGE.substring("usage: ".length()));
        return 2;
    }

    private static int fail(PrintStream err, String message) {
        err.println("dynstack extract: " + message);
        return 2;
    }
}

package io.dynstack.agent.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;

/**
 * {@code import <data file|release> --out FILE.jar}: a kernel's data as kernel classes
 * ({@link KernelClasses}) in a jar that {@code analyze} reads and the agent weaves, with the data
 * itself inside for {@link Replay#load}. The jar is written through a temporary sibling, so a
 * failed import leaves nothing behind; the same data always gives the same bytes.
 *
 * <p>Exit status 0, or 2 for a bad argument or bad data: one stderr line naming the problem.
 */
public final class ImportCommand {

    public static final String USAGE = "usage: java -jar dynstack-agent.jar import <data file|release> --out FILE.jar";
    /** Entry times in the jar: fixed, so that the jar's bytes depend on the data only. */
    private static final long ENTRY_TIME = 946_684_800_000L;

    private ImportCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        String output = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--out" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        return bad(err, "--out needs a value");
                    }
                    if (output != null) {
                        return bad(err, "--out is given twice");
                    }
                    output = args[++i];
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        return bad(err, "unknown option '" + args[i] + "'");
                    }
                    if (input != null) {
                        return bad(err, "give one data file, not both '" + input + "' and '" + args[i] + "'");
                    }
                    input = args[i];
                }
            }
        }
        if (input == null) {
            return bad(err, "no input: name a kernel data file (.kframes.gz) or a release shipped in the jar");
        }
        if (output == null) {
            return bad(err, "no output: give --out FILE.jar");
        }
        Path jar = Path.of(output).toAbsolutePath();
        String problem = unwritable(jar);
        if (problem != null) {
            return bad(err, problem);
        }
        long start = System.nanoTime();
        KernelData data;
        try {
            data = KernelFiles.read(input);
        } catch (IOException e) {
            return bad(err, e.getMessage());
        }
        KernelClasses classes;
        try {
            classes = KernelClasses.of(data);
            write(classes, jar);
        } catch (IllegalArgumentException e) {
            return bad(err, input + ": " + e.getMessage());
        } catch (IOException e) {
            return bad(err, "cannot write " + jar + ": " + e.getMessage());
        }
        out.printf("dynstack import: %d functions of %s in %d classes, %s (%d bytes) in %d ms%n",
                data.functions().size(), data.header().release(), classes.classes().size(), output,
                sizeOf(jar), (System.nanoTime() - start) / 1_000_000);
        return 0;
    }

    /** Null when {@code jar} can be written; else why not. */
    static String unwritable(Path jar) {
        if (Files.isDirectory(jar)) {
            return "--out " + jar + " is a directory; give a file name, e.g. linux.jar";
        }
        Path dir = jar.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "--out " + jar + ": directory " + dir + " does not exist";
        }
        if (!Files.isWritable(dir)) {
            return "--out " + jar + ": directory " + dir + " is not writable";
        }
        return null;
    }

    /** Writes the classes and the data as one jar, through a temporary file in the same directory. */
    public static void write(KernelClasses classes, Path jar) throws IOException {
        Map<String, byte[]> files = classes.generate();
        Path tmp = temporarySibling(jar);
        try {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Created-By", "dynstack import");
            manifest.getMainAttributes().putValue("Dynstack-Kernel-Release", classes.data().header().release());
            try (OutputStream file = Files.newOutputStream(tmp);
                 JarOutputStream out = new JarOutputStream(file)) {
                entry(out, "META-INF/MANIFEST.MF", manifestBytes(manifest));
                entry(out, Replay.DATA_RESOURCE, gzip(classes.data().encode()));
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    entry(out, e.getKey() + ".class", e.getValue());
                }
            }
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new file beside {@code file}, for writing it whole and then moving it in place; created with
     * the umask's permissions, as the file itself would be (a temporary file's are owner-only).
     */
    static Path temporarySibling(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = "." + file.getFileName() + "." + ProcessHandle.current().pid() + "-";
        for (int i = 0; ; i++) {
            try {
                return Files.createFile(dir.resolve(name + i + ".tmp"));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another writer's, or a leftover: the next name
            }
        }
    }

    private static void entry(JarOutputStream out, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(ENTRY_TIME);
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
    }

    private static byte[] manifestBytes(Manifest manifest) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        manifest.write(bytes);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static int bad(PrintStream err, String message) {
        err.println("dynstack import: " + message + "; " + USAGE);
        return 2;
    }
}

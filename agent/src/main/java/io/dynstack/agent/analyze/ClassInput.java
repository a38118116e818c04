package io.dynstack.agent.analyze;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The class files of a class path: jars, directories of class files, single class files,
 * separated by the platform's path separator. Multi-release versions under {@code META-INF/} and
 * {@code module-info} are left out: they would duplicate or are not code.
 */
public final class ClassInput {

    /** One class file's bytes and where they came from ({@code guava.jar!com/google/X.class}). */
    public record ClassFile(String origin, byte[] bytes) {
    }

    private ClassInput() {
    }

    /**
     * Every class file under the entries of {@code classPath}.
     *
     * @throws IllegalArgumentException naming the entry, if one does not exist or is not a jar,
     *                                  directory or class file, or cannot be read
     */
    public static List<ClassFile> read(String classPath) {
        return read(classPath, problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** Every class file under the entries of {@code classPath}; an entry that cannot be read goes to {@code problems}. */
    public static List<ClassFile> read(String classPath, Consumer<String> problems) {
        List<ClassFile> out = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry);
            try {
                if (Files.isDirectory(path)) {
                    readDirectory(path, out);
                } else if (Files.isRegularFile(path) && entry.endsWith(".class")) {
                    out.add(new ClassFile(entry, Files.readAllBytes(path)));
                } else if (Files.isRegularFile(path) && (entry.endsWith(".jar") || entry.endsWith(".zip"))) {
                    readJar(path, out);
                } else if (!Files.exists(path)) {
                    problems.accept("'" + entry + "' does not exist; give jars, directories"
                            + " or class files separated by '" + File.pathSeparator + "'");
                } else {
                    problems.accept("'" + entry + "' is not a jar, a directory or a class file");
                }
            } catch (IOException | UncheckedIOException e) {
                problems.accept("cannot read '" + entry + "': " + e.getMessage());
            }
        }
        return out;
    }

    private static void readDirectory(Path dir, List<ClassFile> out) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(p -> isClass(dir.relativize(p).toString())).sorted().toList()) {
                out.add(new ClassFile(file.toString(), Files.readAllBytes(file)));
            }
        }
    }

    private static void readJar(Path jar, List<ClassFile> out) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.isDirectory() && isClass(e.getName())) {
                    try (InputStream in = zip.getInputStream(e)) {
                        out.add(new ClassFile(jar.getFileName() + "!" + e.getName(), in.readAllBytes()));
                    }
                }
            }
        }
    }

    private static boolean isClass(String name) {
        String n = name.replace('\\', '/');
        return n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class");
    }
}

package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.agent.weave.WeaveException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.MethodTooLargeException;

/**
 * Every class of real third-party jars, woven as kernel code at threshold 0 (every method checked):
 * each woven class passes ASM's verifier, and HotSpot links the woven jar exactly as it links the
 * original (the same classes link, the same ones fail for a missing optional dependency). The
 * jars cover a compiler, a parser and two collections libraries, built by javac for Java 1.3 (no
 * stack map frames: the old verifier), Java 7 and Java 8. Running their code woven is AgentJarIT's
 * job, in RealJarsIT.
 */
class RealJarsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "janino (compiler; Java 7),                 org.codehaus.janino.Compiler,                 500",
        "commons-compiler (Java 7),                 org.codehaus.commons.compiler.CompileException, 140",
        "jackson-core (parser; Java 8),             com.fasterxml.jackson.core.JsonFactory,       200",
        "commons-collections4 (Java 8),             org.apache.commons.collections4.CollectionUtils, 500",
        "commons-collections 3.2.2 (Java 1.3),      org.apache.commons.collections.CollectionUtils, 450",
    })
    void everyClassWeavesIntoOneTheJvmLinksAsItLinksTheOriginal(String library, String probe, int atLeast)
            throws Exception {
        Map<String, byte[]> original = classes(jarOf(probe));
        assertTrue(original.size() >= atLeast, library + " has " + original.size() + " classes");

        ClassWeaver weaver = new ClassWeaver(new WeaveConfig(0));
        Map<String, byte[]> woven = new TreeMap<>(original);
        Map<String, String> unchanged = new TreeMap<>();
        ClassLoader parent = getClass().getClassLoader();
        for (Map.Entry<String, byte[]> c : original.entrySet()) {
            try {
                byte[] bytes = weaver.weave(c.getValue()).bytes();
                assertEquals("", ClassCheck.asm(bytes, parent), "ASM's verifier on woven " + c.getKey());
                woven.put(c.getKey(), bytes);
            } catch (WeaveException | MethodTooLargeException | ClassTooLargeException e) {
                unchanged.put(c.getKey(), e.getMessage());
            }
        }
        assertEquals(Map.of(), unchanged, "classes of " + library + " left unchanged");
        assertEquals(link(original, parent), link(woven, parent), "how HotSpot links each class of " + library);
    }

    static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className, false, RealJarsTest.class.getClassLoader())
                .getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The jar's classes by name; module-info and multi-release variants are not classes to load. */
    static Map<String, byte[]> classes(Path jar) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                    try (InputStream in = file.getInputStream(e)) {
                        classes.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    /** Defines every class in a loader of their own and links each: "linked" or the error HotSpot gives. */
    private static Map<String, String> link(Map<String, byte[]> classes, ClassLoader parent) {
        ClassLoader loader = new ChildFirst(classes, parent);
        Map<String, String> outcomes = new TreeMap<>();
        for (String name : classes.keySet()) {
            String outcome;
            try {
                Class.forName(name, false, loader).getDeclaredMethods();
                outcome = "linked";
            } catch (LinkageError | ClassNotFoundException e) {
                outcome = e.getClass().getName() + (e instanceof VerifyError ? ": " + e.getMessage() : "");
            }
            outcomes.put(name, outcome);
        }
        return outcomes;
    }

    /** Loads the given classes itself, before its parent, which holds the same library unwoven. */
    private static final class ChildFirst extends ClassLoader {
        private final Map<String, byte[]> classes;

        ChildFirst(Map<String, byte[]> classes, ClassLoader parent) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : defineClass(name, bytes, 0, bytes.length);
            }
        }
    }
}

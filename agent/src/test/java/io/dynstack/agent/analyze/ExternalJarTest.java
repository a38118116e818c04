package io.dynstack.agent.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** Guava from Maven Central, analysed whole as if all of it were kernel code. */
class ExternalJarTest {

    private static final long MARGIN = 1024;
    private static Path guava;
    private static int classFiles;
    private static int methodsWithCode;

    @BeforeAll
    static void countIndependently() throws Exception {
        guava = Path.of(ImmutableList.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (ZipFile zip = new ZipFile(guava.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")
                        && !e.getName().endsWith("module-info.class")) {
                    classFiles++;
                    methodsWithCode += methodsWithCode(zip, e);
                }
            }
        }
    }

    private static int methodsWithCode(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            ClassNode node = new ClassNode();
            new ClassReader(in.readAllBytes()).accept(node, 0);
            int n = 0;
            for (MethodNode m : node.methods) {
                if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                    n++;
                }
            }
            return n;
        }
    }

    @Test
    void everyClassAndMethodIsAnalysedAndTheMarginPlacementHolds() {
        Analysis a = Analysis.run(ClassInput.read(guava.toString()),
                new Analysis.Options(List.of("com.google.**"), 100, MARGIN));

        assertTrue(classFiles > 1000, "guava has " + classFiles + " classes");
        assertEquals(List.of(), a.skipped());
        assertEquals(classFiles, a.classesRead());
        assertEquals(classFiles, a.kernelClasses().size());
        assertEquals(methodsWithCode, a.graph().size());
        assertTrue(a.calls() > a.graph().size(), "a real call graph: " + a.calls() + " calls");
        assertFalse(a.graph().recursion().isEmpty(), "guava recurses (e.g. through its collections)");
        assertEquals(ChainBound.UNBOUNDED, a.bound().bound(), "recursion without checks at threshold 100");

        CheckPlacement.Result p = a.placement();
        assertEquals(List.of(), p.bound().uncheckedCycles());
        assertTrue(p.bound().bound() <= MARGIN, "bound " + p.bound().bound());
    }

    @Test
    void commandLineListsEveryMethod() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = AnalyzeCommand.run(new String[] {guava.toString(), "--kernel", "com.google.**",
                "--margin", "1k"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, status);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).startsWith("dynstack analyze: " + classFiles + " classes read, " + classFiles
                + " kernel classes, " + methodsWithCode + " kernel methods"), lines.get(0));
        int header = lines.indexOf("  frame  locals  check      method");
        List<String> listed = lines.subList(header + 1, header + 1 + methodsWithCode);
        assertTrue(listed.stream().allMatch(l -> l.matches(" +\\d+ +\\d+  (threshold|margin   |         )  com\\.google\\..+")),
                "every listed line is a method");
        assertEquals("", lines.get(header + 1 + methodsWithCode), "the listing ends after the last method");
    }
}

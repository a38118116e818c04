package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.WovenMethods;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.function.IntSupplier;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The agent's transformer, attached in-process, weaving classes as a class loader defines them. */
class KernelTransformerTest {

    private static final Instrumentation INST = ByteBuddyAgent.install();
    private ClassFileTransformer transformer;

    /** Defines classes from bytes, as any application class loader would; the transformer sees each. */
    private static final class Loader extends ClassLoader {
        Loader() {
            super(KernelTransformerTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    @BeforeEach
    void install() {
        transformer = Installer.install(AgentOptions.parse("kernel=io.dynstack.testkernel.bb.**,threshold=100"), INST);
    }

    @AfterEach
    void uninstall() {
        INST.removeTransformer(transformer);
        Kernel.configure(StackConfig.DEFAULT);
    }

    private static IntSupplier load(String name) throws ReflectiveOperationException {
        Class<?> c = new Loader().define(name, WeavingLoader.classFile(name));
        return (IntSupplier) c.getDeclaredConstructor().newInstance();
    }

    @Test
    void classesMatchingTheGlobsAreWovenWhenLoaded() throws Exception {
        IntSupplier target = load("io.dynstack.testkernel.bb.Target");
        assertEquals(240 + 48, target.getAsInt());
        WovenMethods.Method m = WovenMethods.find("io.dynstack.testkernel.bb.Target", "getAsInt", "()I");
        assertEquals(240, m.frameSize());
        assertTrue(m.checked());
        assertEquals(1, Kernel.stats().events().checksExecuted());
    }

    @Test
    void classesAnnotatedKernelCodeAreWovenWhateverTheGlobs() throws Exception {
        assertEquals(80, load("io.dynstack.testkernel.marked.Marked").getAsInt());
    }

    /** A redefinition (a debugger's hot swap) hands the transformer new bytes: they are woven as a load is. */
    @Test
    void aRedefinedKernelClassIsWovenAgain() throws Exception {
        String name = "io.dynstack.testkernel.bb.Target";
        IntSupplier target = load(name);
        assertEquals(240 + 48, target.getAsInt());
        INST.redefineClasses(new ClassDefinition(target.getClass(), WeavingLoader.classFile(name)));
        assertEquals(240 + 48, target.getAsInt());
        assertEquals(2, Kernel.stats().events().checksExecuted(), "the check runs in the redefined code too");
    }

    @Test
    void aClassThatCannotBeWovenIsLeftUnchangedAndReportedOnce() throws Exception {
        String name = "io.dynstack.testkernel.bb.Huge";
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        Class<?> huge;
        try {
            huge = new Loader().define(name, nearlyTooLarge(name));
        } finally {
            System.setErr(stderr);
        }
        assertEquals(65_524, huge.getMethod("count").invoke(null), "the original code still runs");
        assertNull(WovenMethods.find(name, "count", "()I"));
        String lines = captured.toString();
        assertEquals(1, lines.lines().count(), lines);
        assertTrue(lines.startsWith("dynstack: cannot weave io.dynstack.testkernel.bb.Huge, left unchanged (MethodTooLarge"),
                lines);
        assertTrue(WovenMethods.skipped().stream().anyMatch(s -> s.className().equals(name)));
    }

    /** One method of 65,533 code bytes: the woven prologue and epilogue no longer fit in 64 KiB. */
    private static byte[] nearlyTooLarge(String name) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name.replace('.', '/'), null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "count", "()I", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, 0);
        for (int i = 0; i < 21_842; i++) {
            mv.visitIincInsn(0, 3);
        }
        mv.visitIincInsn(0, -2);
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}

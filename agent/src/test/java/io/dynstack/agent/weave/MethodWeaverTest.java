package io.dynstack.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.runtime.WovenMethods;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * The woven instructions of one method, written out and compared line by line: where ks and saved
 * go, what every stack map frame gets, the handlers of a constructor before and after super(),
 * and the exact max_stack. Frame sizes come from the model, 16 + 8 * (max_locals + max_stack)
 * rounded up to 16, worked out for each method below.
 */
class MethodWeaverTest {

    private static final WeaveConfig ACCOUNTING = new WeaveConfig(WeaveConfig.NO_CHECKS, true,
            WeaveConfig.Basis.FRAME, false);
    private static final String KS = "io/dynstack/runtime/KernelStack";
    private static final String CURRENT = "    INVOKESTATIC " + KS + ".current ()L" + KS + ";";

    @Test
    void longAndDoubleLocalsKeepTheirTwoSlotsAndKsGoesAboveThem() {
        // static long leaf(long a, double b) { return (long) (a + b); }: max_locals 4, max_stack 4, frame 80
        List<String> woven = weave(ACCOUNTING, Opcodes.ACC_STATIC, "leaf", "(JD)J", 4, 4, m -> {
            m.visitVarInsn(Opcodes.LLOAD, 0);
            m.visitInsn(Opcodes.L2D);
            m.visitVarInsn(Opcodes.DLOAD, 2);
            m.visitInsn(Opcodes.DADD);
            m.visitInsn(Opcodes.D2L);
            m.visitInsn(Opcodes.LRETURN);
        });
        assertEquals(List.of(
                "    TRYCATCHBLOCK L0 L1 L2 null",
                CURRENT,
                "    DUP",
                "    ASTORE 4",
                "    BIPUSH 80",
                "    INVOKEVIRTUAL " + KS + ".enter (I)I",
                "    ISTORE 5",
                "   L0",
                "    LLOAD 0",
                "    L2D",
                "    DLOAD 2",
                "    DADD",
                "    D2L",
                "    ALOAD 4",
                "    ILOAD 5",
                "    INVOKEVIRTUAL " + KS + ".restore (I)V",
                "    LRETURN",
                "   L1",
                "   L2",
                // the catch-all needs no argument: four TOPs for the long's and the double's slots
                "   FRAME FULL [T T T T " + KS + " I] [java/lang/Throwable]",
                "    ALOAD 4",
                "    ILOAD 5",
                "    INVOKEVIRTUAL " + KS + ".restore (I)V",
                "    ATHROW",
                // the long result and ks and saved: 2 above the original 4
                "    MAXSTACK = 6",
                "    MAXLOCALS = 6"), woven);
    }

    @Test
    void everyExistingFrameGetsKsAndSavedAfterItsTwoSlotLocals() {
        // static long pick(boolean c, long v) { return c ? v : 0L; }: max_locals 3, max_stack 2, frame 64
        List<String> woven = weave(ACCOUNTING, Opcodes.ACC_STATIC, "pick", "(ZJ)J", 3, 2, m -> {
            Label zero = new Label();
            m.visitVarInsn(Opcodes.ILOAD, 0);
            m.visitJumpInsn(Opcodes.IFEQ, zero);
            m.visitVarInsn(Opcodes.LLOAD, 1);
            m.visitInsn(Opcodes.LRETURN);
            m.visitLabel(zero);
            m.visitFrame(Opcodes.F_NEW, 2, new Object[] {Opcodes.INTEGER, Opcodes.LONG}, 0, new Object[0]);
            m.visitInsn(Opcodes.LCONST_0);
            m.visitInsn(Opcodes.LRETURN);
        });
        // I and J fill slots 0..2, so ks is slot 3 with no TOP before it
        assertEquals(1, woven.stream().filter(l -> l.equals("   FRAME FULL [I J " + KS + " I] []")).count(), woven::toString);
        assertEquals(List.of("    ASTORE 3", "    BIPUSH 64"), woven.subList(3, 5));
        assertEquals(2, woven.stream().filter(l -> l.equals("    INVOKEVIRTUAL " + KS + ".restore (I)V")).count()
                - 1, "both returns exit (the third restore is the catch-all's)");
        assertEquals(List.of("    MAXSTACK = 4", "    MAXLOCALS = 5"), woven.subList(woven.size() - 2, woven.size()));
    }

    @Test
    void aFrameWithFewerLocalsThanTheMethodIsPaddedWithTop() {
        // static void gap(int a, long b) with a frame that knows only a: TOP, TOP for b's two slots
        List<String> woven = weave(ACCOUNTING, Opcodes.ACC_STATIC, "gap", "(IJ)V", 3, 1, m -> {
            Label end = new Label();
            m.visitVarInsn(Opcodes.ILOAD, 0);
            m.visitJumpInsn(Opcodes.IFEQ, end);
            m.visitLabel(end);
            m.visitFrame(Opcodes.F_NEW, 1, new Object[] {Opcodes.INTEGER}, 0, new Object[0]);
            m.visitInsn(Opcodes.RETURN);
        });
        assertEquals(1, woven.stream().filter(l -> l.equals("   FRAME FULL [I T T " + KS + " I] []")).count(), woven::toString);
    }

    @Test
    void aConstructorHasOneCatchAllBeforeSuperAndOneAfterItAndNoneOverTheCall() {
        // Child(int x) { super(x + 1); }: max_locals 2, max_stack 3, frame 16 + 40 = 56, rounded to 64
        List<String> woven = weave(ACCOUNTING, 0, "<init>", "(I)V", 2, 3, m -> {
            m.visitVarInsn(Opcodes.ALOAD, 0);
            m.visitVarInsn(Opcodes.ILOAD, 1);
            m.visitInsn(Opcodes.ICONST_1);
            m.visitInsn(Opcodes.IADD);
            m.visitMethodInsn(Opcodes.INVOKESPECIAL, "Base", "<init>", "(I)V", false);
            m.visitInsn(Opcodes.RETURN);
        });
        assertEquals(List.of(
                // after super() to the end; from the start to just before super()
                "    TRYCATCHBLOCK L0 L1 L2 null",
                "    TRYCATCHBLOCK L3 L4 L5 null",
                CURRENT,
                "    DUP",
                "    ASTORE 2",
                "    BIPUSH 64",
                "    INVOKEVIRTUAL " + KS + ".enter (I)I",
                "    ISTORE 3",
                "   L3",
                "    ALOAD 0",
                "    ILOAD 1",
                "    ICONST_1",
                "    IADD",
                "   L4",
                "    INVOKESPECIAL Base.<init> (I)V",
                "   L0",
                "    ALOAD 2",
                "    ILOAD 3",
                "    INVOKEVIRTUAL " + KS + ".restore (I)V",
                "    RETURN",
                "   L1",
                "   L2",
                "   FRAME FULL [T T " + KS + " I] [java/lang/Throwable]",
                "    ALOAD 2",
                "    ILOAD 3",
                "    INVOKEVIRTUAL " + KS + ".restore (I)V",
                "    ATHROW",
                "   L5",
                // this is still uninitialised before super(): U, as the verifier must see it
                "   FRAME FULL [U T " + KS + " I] [java/lang/Throwable]",
                "    ALOAD 2",
                "    ILOAD 3",
                "    INVOKEVIRTUAL " + KS + ".restore (I)V",
                "    ATHROW",
                // 3 + 2 above the original, for the return's ks and saved
                "    MAXSTACK = 5",
                "    MAXLOCALS = 4"), woven);
    }

    @Test
    void anExistingHandlerRestoresTheFrameBelowAndNeedsFourStackSlots() {
        // static void guarded() { try { run(); } catch (RuntimeException e) { } }: max_locals 1, max_stack 1, frame 32
        List<String> woven = weave(ACCOUNTING, Opcodes.ACC_STATIC, "guarded", "()V", 1, 1, m -> {
            Label from = new Label();
            Label to = new Label();
            Label handler = new Label();
            Label end = new Label();
            m.visitTryCatchBlock(from, to, handler, "java/lang/RuntimeException");
            m.visitLabel(from);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, "Owner", "run", "()V", false);
            m.visitLabel(to);
            m.visitJumpInsn(Opcodes.GOTO, end);
            m.visitLabel(handler);
            m.visitFrame(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {"java/lang/RuntimeException"});
            m.visitVarInsn(Opcodes.ASTORE, 0);
            m.visitLabel(end);
            m.visitFrame(Opcodes.F_NEW, 0, new Object[0], 0, new Object[0]);
            m.visitInsn(Opcodes.RETURN);
        });
        int handler = woven.indexOf("   FRAME FULL [T " + KS + " I] [java/lang/RuntimeException]");
        // ks.restore(saved - 32): the sp with this frame pushed, whatever run() left
        assertEquals(List.of("    ALOAD 1", "    ILOAD 2", "    BIPUSH 32", "    ISUB",
                "    INVOKEVIRTUAL " + KS + ".restore (I)V", "    ASTORE 0"), woven.subList(handler + 1, handler + 7));
        assertEquals("    MAXSTACK = 4", woven.get(woven.size() - 2));
    }

    @Test
    void aGetterNeedsThreeStackSlotsWhereTheWeaverUsedToTakeFour() {
        // int size() { return size; }: max_locals 1, max_stack 1: ks and saved above the int
        List<String> woven = weave(ACCOUNTING, 0, "size", "()I", 1, 1, m -> {
            m.visitVarInsn(Opcodes.ALOAD, 0);
            m.visitFieldInsn(Opcodes.GETFIELD, "Child", "size", "I");
            m.visitInsn(Opcodes.IRETURN);
        });
        assertEquals(List.of("    MAXSTACK = 3", "    MAXLOCALS = 3"), woven.subList(woven.size() - 2, woven.size()));
    }

    @Test
    void perMethodCountingPushesTheMethodsIdInItsShortestForm() {
        WeaveConfig counting = new WeaveConfig(0, true, WeaveConfig.Basis.FRAME, true);
        List<WovenMethods.Method> methods = new ArrayList<>();
        List<String> woven = weave(counting, methods, Opcodes.ACC_STATIC, "run", "()V", 0, 0,
                m -> m.visitInsn(Opcodes.RETURN));
        int id = methods.get(0).id();
        String push = id <= 5 ? "    ICONST_" + id : id <= 127 ? "    BIPUSH " + id
                : id <= 32_767 ? "    SIPUSH " + id : "    LDC " + id;
        // threshold 0 checks every method; the smallest frame is 16 bytes
        assertEquals(List.of(CURRENT, "    DUP", "    ASTORE 0", "    BIPUSH 16", push,
                "    INVOKEVIRTUAL " + KS + ".enterChecked (II)I", "    ISTORE 1"), woven.subList(1, 8));
        assertEquals(16, methods.get(0).frameSize());
        assertEquals(true, methods.get(0).checked());
    }

    @Test
    void pushesTakeTheShortestInstruction() {
        assertEquals(Opcodes.ICONST_M1, MethodWeaver.push(-1).getOpcode());
        assertEquals(Opcodes.ICONST_5, MethodWeaver.push(5).getOpcode());
        assertEquals(Opcodes.BIPUSH, MethodWeaver.push(6).getOpcode());
        assertEquals(Opcodes.BIPUSH, MethodWeaver.push(127).getOpcode());
        assertEquals(Opcodes.SIPUSH, MethodWeaver.push(128).getOpcode());
        assertEquals(Opcodes.SIPUSH, MethodWeaver.push(32_767).getOpcode());
        assertEquals(Opcodes.LDC, MethodWeaver.push(32_768).getOpcode());
    }

    private interface Code {
        void write(MethodVisitor m);
    }

    private static List<String> weave(WeaveConfig config, int access, String name, String descriptor, int maxLocals,
                                      int maxStack, Code code) {
        return weave(config, new ArrayList<>(), access, name, descriptor, maxLocals, maxStack, code);
    }

    private static List<String> weave(WeaveConfig config, List<WovenMethods.Method> methods, int access, String name,
                                      String descriptor, int maxLocals, int maxStack, Code code) {
        MethodNode out = new MethodNode(Opcodes.ASM9, access, name, descriptor, null, null);
        MethodWeaver weaver = new MethodWeaver(access, name, descriptor, null, null, "Child", Opcodes.V21, config,
                false, 0, out, methods::add);
        weaver.visitCode();
        code.write(weaver);
        weaver.visitMaxs(maxStack, maxLocals);
        weaver.visitEnd();
        Textifier text = new Textifier();
        out.accept(new TraceMethodVisitor(text));
        StringWriter lines = new StringWriter();
        text.print(new PrintWriter(lines));
        return lines.toString().lines().toList();
    }
}

package io.dynstack.agent.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Random class files that are valid before any weaving: structured random code (branches, loops,
 * switches, nested and overlapping exception handlers, early returns, throws, division by zero,
 * calls), int, long and double locals, a constructor with code and a handler before super(),
 * and now and then a method a few bytes short of the 64 KiB limit or one using local slot 65534.
 * Every local keeps one type for the whole method and is set before any branch, so the stack map
 * frames ASM computes are always consistent; calls go only to methods generated earlier and no
 * call sits in a loop, so every method ends, and quickly.
 */
final class RandomClasses {

    /** Each static method is {@code static R m<i>(int a, long b, double c)}. */
    static final String PARAMETERS = "(IJD)";
    static final String[] RETURNS = {"I", "J", "D"};
    static final int[] VERSIONS = {Opcodes.V1_5, Opcodes.V1_6, Opcodes.V1_8, Opcodes.V11, Opcodes.V17, Opcodes.V21,
        Opcodes.V25};

    private static final String ISE = "java/lang/IllegalStateException";
    private static final String[] CATCH_TYPES = {"java/lang/ArithmeticException", ISE, "java/lang/RuntimeException",
        "java/lang/Throwable", null};
    private static final Map<String, String> SUPER = Map.of(
            "java/lang/ArithmeticException", "java/lang/RuntimeException",
            ISE, "java/lang/RuntimeException",
            "java/lang/RuntimeException", "java/lang/Exception",
            "java/lang/Exception", "java/lang/Throwable",
            "java/lang/Throwable", "java/lang/Object");

    // Local slots of a static method: the parameters, then x, y, l, d and one loop counter per nesting level.
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 3;
    private static final int X = 5;
    private static final int Y = 6;
    private static final int L = 7;
    private static final int D = 9;
    private static final int COUNTER = 11;
    private static final int MAX_DEPTH = 3;

    /** One generated class and its static methods, as name and descriptor. */
    record Generated(String name, byte[] bytes, int version, List<String> methods) {
    }

    private final Random random;
    private int throwSites;

    RandomClasses(long seed) {
        this.random = new Random(seed);
    }

    Generated next(String internalName) {
        int version = VERSIONS[random.nextInt(VERSIONS.length)];
        boolean frames = version >= Opcodes.V1_6;
        ClassWriter cw = new KnownHierarchyWriter(frames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "f", "I", null, null).visitEnd();
        int count = 1 + random.nextInt(6);
        String[] returns = new String[count];
        List<String> methods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            returns[i] = RETURNS[random.nextInt(RETURNS.length)];
            staticMethod(cw, internalName, i, returns);
            methods.add("m" + i + PARAMETERS + returns[i]);
        }
        if (random.nextInt(8) == 0) {
            nearlyTooLarge(cw);
            methods.add("big" + PARAMETERS + "I");
        }
        if (random.nextInt(10) == 0) {
            highestLocal(cw);
            methods.add("wide" + PARAMETERS + "I");
        }
        constructor(cw, internalName);
        cw.visitEnd();
        return new Generated(internalName, cw.toByteArray(), version, List.copyOf(methods));
    }

    private final class Method {
        final MethodVisitor mv;
        final String owner;
        final int index;
        final String[] returns;
        int calls;

        Method(MethodVisitor mv, String owner, int index, String[] returns) {
            this.mv = mv;
            this.owner = owner;
            this.index = index;
            this.returns = returns;
        }

        void block(int depth, boolean inLoop, int statements) {
            for (int i = 0; i < statements; i++) {
                statement(depth, inLoop);
            }
        }

        void statement(int depth, boolean inLoop) {
            int kinds = depth >= MAX_DEPTH ? 5 : 12;
            switch (random.nextInt(kinds)) {
                case 0, 1 -> intOp();
                case 2 -> longOp();
                case 3 -> doubleOp();
                case 4 -> throwSometimes();
                case 5 -> ifElse(depth, inLoop);
                case 6 -> loop(depth);
                case 7 -> tryCatch(depth, inLoop);
                case 8 -> overlappingHandlers();
                case 9 -> switchOn(depth, inLoop);
                case 10 -> call(inLoop);
                default -> returnSometimes();
            }
        }

        void intOp() {
            int[] ops = {Opcodes.IADD, Opcodes.ISUB, Opcodes.IMUL, Opcodes.IXOR, Opcodes.IAND, Opcodes.IOR,
                Opcodes.ISHL, Opcodes.IDIV, Opcodes.IREM};
            int op = ops[random.nextInt(ops.length)];
            mv.visitVarInsn(Opcodes.ILOAD, X);
            if (op == Opcodes.IDIV || op == Opcodes.IREM) {
                // A divisor of 0 to 3: division by zero is one of the ways out of a frame.
                mv.visitVarInsn(Opcodes.ILOAD, Y);
                mv.visitInsn(Opcodes.ICONST_3);
                mv.visitInsn(Opcodes.IAND);
            } else if (random.nextBoolean()) {
                mv.visitVarInsn(Opcodes.ILOAD, random.nextBoolean() ? Y : A);
            } else {
                push(random.nextInt(2001) - 1000);
            }
            mv.visitInsn(op);
            mv.visitVarInsn(Opcodes.ISTORE, X);
            if (random.nextInt(3) == 0) {
                mv.visitVarInsn(Opcodes.ILOAD, X);
                push(random.nextInt(256));
                mv.visitInsn(Opcodes.IXOR);
                mv.visitVarInsn(Opcodes.ISTORE, Y);
            }
        }

        void longOp() {
            if (random.nextBoolean()) {
                mv.visitVarInsn(Opcodes.LLOAD, L);
                mv.visitLdcInsn(31L);
                mv.visitInsn(Opcodes.LMUL);
                mv.visitVarInsn(Opcodes.ILOAD, X);
                mv.visitInsn(Opcodes.I2L);
                mv.visitInsn(Opcodes.LADD);
                mv.visitVarInsn(Opcodes.LLOAD, B);
                mv.visitInsn(random.nextBoolean() ? Opcodes.LXOR : Opcodes.LDIV);
            } else {
                mv.visitVarInsn(Opcodes.LLOAD, L);
                mv.visitVarInsn(Opcodes.LLOAD, L);
                mv.visitVarInsn(Opcodes.ILOAD, X);
                push(7);
                mv.visitInsn(Opcodes.IAND);
                mv.visitInsn(Opcodes.LUSHR);
                mv.visitInsn(Opcodes.LXOR);
            }
            mv.visitVarInsn(Opcodes.LSTORE, L);
            mv.visitVarInsn(Opcodes.LLOAD, L);
            push(32);
            mv.visitInsn(Opcodes.LUSHR);
            mv.visitInsn(Opcodes.L2I);
            mv.visitVarInsn(Opcodes.ILOAD, X);
            mv.visitInsn(Opcodes.IXOR);
            mv.visitVarInsn(Opcodes.ISTORE, X);
        }

        void doubleOp() {
            mv.visitVarInsn(Opcodes.DLOAD, D);
            mv.visitLdcInsn(0.75);
            mv.visitInsn(Opcodes.DMUL);
            mv.visitVarInsn(Opcodes.DLOAD, C);
            mv.visitInsn(Opcodes.DADD);
            mv.visitVarInsn(Opcodes.ILOAD, X);
            mv.visitInsn(Opcodes.I2D);
            mv.visitInsn(Opcodes.DSUB);
            mv.visitVarInsn(Opcodes.DSTORE, D);
            mv.visitVarInsn(Opcodes.ILOAD, X);
            mv.visitVarInsn(Opcodes.DLOAD, D);
            mv.visitInsn(Opcodes.D2I);
            mv.visitInsn(Opcodes.IADD);
            mv.visitVarInsn(Opcodes.ISTORE, X);
        }

        void throwSometimes() {
            sometimes(() -> throwNew("thrown at " + (throwSites++)));
        }

        /** Emits {@code action} behind a branch on x that one value in four of x takes. */
        private void sometimes(Runnable action) {
            Label skip = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, X);
            mv.visitInsn(Opcodes.ICONST_3);
            mv.visitInsn(Opcodes.IAND);
            push(random.nextInt(4));
            mv.visitJumpInsn(Opcodes.IF_ICMPNE, skip);
            action.run();
            mv.visitLabel(skip);
        }

        void throwNew(String message) {
            mv.visitTypeInsn(Opcodes.NEW, ISE);
            mv.visitInsn(Opcodes.DUP);
            mv.visitLdcInsn(message);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ISE, "<init>", "(Ljava/lang/String;)V", false);
            mv.visitInsn(Opcodes.ATHROW);
        }

        void ifElse(int depth, boolean inLoop) {
            int[] conditions = {Opcodes.IF_ICMPEQ, Opcodes.IF_ICMPNE, Opcodes.IF_ICMPLT, Opcodes.IF_ICMPGE,
                Opcodes.IF_ICMPGT, Opcodes.IF_ICMPLE};
            Label otherwise = new Label();
            Label end = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, X);
            mv.visitVarInsn(Opcodes.ILOAD, Y);
            mv.visitJumpInsn(conditions[random.nextInt(conditions.length)], otherwise);
            block(depth + 1, inLoop, 1 + random.nextInt(3));
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(otherwise);
            block(depth + 1, inLoop, random.nextInt(3));
            mv.visitLabel(end);
        }

        void loop(int depth) {
            int counter = COUNTER + depth;
            Label top = new Label();
            Label end = new Label();
            push(1 + random.nextInt(4));
            mv.visitVarInsn(Opcodes.ISTORE, counter);
            mv.visitLabel(top);
            mv.visitVarInsn(Opcodes.ILOAD, counter);
            mv.visitJumpInsn(Opcodes.IFLE, end);
            block(depth + 1, true, 1 + random.nextInt(3));
            mv.visitIincInsn(counter, -1);
            mv.visitJumpInsn(Opcodes.GOTO, top);
            mv.visitLabel(end);
        }

        void tryCatch(int depth, boolean inLoop) {
            Label start = new Label();
            Label endTry = new Label();
            Label handler = new Label();
            Label end = new Label();
            String type = CATCH_TYPES[random.nextInt(CATCH_TYPES.length)];
            mv.visitTryCatchBlock(start, endTry, handler, type);
            mv.visitLabel(start);
            intOp();
            block(depth + 1, inLoop, random.nextInt(4));
            mv.visitLabel(endTry);
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(handler);
            if (type == null && random.nextBoolean()) {
                // A finally that rethrows.
                mv.visitIincInsn(X, 1);
                mv.visitInsn(Opcodes.ATHROW);
            } else {
                mv.visitInsn(Opcodes.POP);
                mv.visitIincInsn(X, 1 + random.nextInt(100));
                block(depth + 1, inLoop, random.nextInt(2));
            }
            mv.visitLabel(end);
        }

        void overlappingHandlers() {
            Label first = new Label();
            Label second = new Label();
            Label third = new Label();
            Label fourth = new Label();
            Label arithmetic = new Label();
            Label runtime = new Label();
            Label end = new Label();
            mv.visitTryCatchBlock(first, third, arithmetic, "java/lang/ArithmeticException");
            mv.visitTryCatchBlock(second, fourth, runtime, "java/lang/RuntimeException");
            mv.visitLabel(first);
            intOp();
            mv.visitLabel(second);
            intOp();
            mv.visitLabel(third);
            intOp();
            throwSometimes();
            mv.visitLabel(fourth);
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(arithmetic);
            mv.visitInsn(Opcodes.POP);
            mv.visitIincInsn(X, 11);
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(runtime);
            mv.visitInsn(Opcodes.POP);
            mv.visitIincInsn(X, 13);
            mv.visitLabel(end);
        }

        void switchOn(int depth, boolean inLoop) {
            Label end = new Label();
            Label fallback = new Label();
            Label[] cases = {new Label(), new Label(), new Label()};
            mv.visitVarInsn(Opcodes.ILOAD, X);
            if (random.nextBoolean()) {
                mv.visitInsn(Opcodes.ICONST_3);
                mv.visitInsn(Opcodes.IAND);
                mv.visitTableSwitchInsn(0, 2, fallback, cases);
            } else {
                push(7);
                mv.visitInsn(Opcodes.IREM);
                mv.visitLookupSwitchInsn(fallback, new int[] {-3, 1, 5}, cases);
            }
            for (Label c : cases) {
                mv.visitLabel(c);
                block(depth + 1, inLoop, random.nextInt(3));
                mv.visitJumpInsn(Opcodes.GOTO, end);
            }
            mv.visitLabel(fallback);
            block(depth + 1, inLoop, random.nextInt(2));
            mv.visitLabel(end);
        }

        void call(boolean inLoop) {
            if (inLoop || index == 0 || calls >= 2) {
                intOp();
                return;
            }
            calls++;
            int callee = random.nextInt(index);
            mv.visitVarInsn(Opcodes.ILOAD, X);
            mv.visitVarInsn(Opcodes.LLOAD, L);
            mv.visitVarInsn(Opcodes.DLOAD, D);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, "m" + callee, PARAMETERS + returns[callee], false);
            if (returns[callee].equals("J")) {
                mv.visitInsn(Opcodes.L2I);
            } else if (returns[callee].equals("D")) {
                mv.visitInsn(Opcodes.D2I);
            }
            mv.visitVarInsn(Opcodes.ILOAD, X);
            mv.visitInsn(Opcodes.IADD);
            mv.visitVarInsn(Opcodes.ISTORE, X);
        }

        void returnSometimes() {
            sometimes(this::returnValue);
        }

        void returnValue() {
            switch (returns[index]) {
                case "I" -> {
                    mv.visitVarInsn(Opcodes.ILOAD, X);
                    mv.visitInsn(Opcodes.IRETURN);
                }
                case "J" -> {
                    mv.visitVarInsn(Opcodes.LLOAD, L);
                    mv.visitVarInsn(Opcodes.ILOAD, X);
                    mv.visitInsn(Opcodes.I2L);
                    mv.visitInsn(Opcodes.LADD);
                    mv.visitInsn(Opcodes.LRETURN);
                }
                default -> {
                    mv.visitVarInsn(Opcodes.DLOAD, D);
                    mv.visitVarInsn(Opcodes.ILOAD, X);
                    mv.visitInsn(Opcodes.I2D);
                    mv.visitInsn(Opcodes.DADD);
                    mv.visitInsn(Opcodes.DRETURN);
                }
            }
        }

        void push(int value) {
            if (value >= -1 && value <= 5) {
                mv.visitInsn(Opcodes.ICONST_0 + value);
            } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
                mv.visitIntInsn(Opcodes.BIPUSH, value);
            } else {
                mv.visitIntInsn(Opcodes.SIPUSH, value);
            }
        }

        /** x, y, l, d and the loop counters, each set once before any branch so its type never changes. */
        void initLocals() {
            mv.visitVarInsn(Opcodes.ILOAD, A);
            mv.visitVarInsn(Opcodes.ISTORE, X);
            mv.visitVarInsn(Opcodes.ILOAD, A);
            push(0x55);
            mv.visitInsn(Opcodes.IXOR);
            mv.visitVarInsn(Opcodes.ISTORE, Y);
            mv.visitVarInsn(Opcodes.LLOAD, B);
            mv.visitVarInsn(Opcodes.LSTORE, L);
            mv.visitVarInsn(Opcodes.DLOAD, C);
            mv.visitVarInsn(Opcodes.DSTORE, D);
            for (int i = 0; i < MAX_DEPTH + 1; i++) {
                mv.visitInsn(Opcodes.ICONST_0);
                mv.visitVarInsn(Opcodes.ISTORE, COUNTER + i);
            }
        }
    }

    private void staticMethod(ClassWriter cw, String owner, int index, String[] returns) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m" + index,
                PARAMETERS + returns[index], null, null);
        mv.visitCode();
        Method m = new Method(mv, owner, index, returns);
        m.initLocals();
        m.block(0, false, 2 + random.nextInt(8));
        m.returnValue();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Straight-line code of 65,400 to 65,530 bytes: woven when the prologue still fits, else left unchanged. */
    private void nearlyTooLarge(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "big", PARAMETERS + "I", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ILOAD, A);
        mv.visitVarInsn(Opcodes.ISTORE, X);
        int codeBytes = 65_400 + random.nextInt(131);
        // iload_0 + istore 5 + iload 5 + ireturn = 6 bytes; each iinc is 3.
        for (int i = 0; i < (codeBytes - 6) / 3; i++) {
            mv.visitIincInsn(X, random.nextInt(256) - 128);
        }
        mv.visitVarInsn(Opcodes.ILOAD, X);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** A method whose max_locals is at or near the class file's limit of 65,535. */
    private void highestLocal(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "wide", PARAMETERS + "I", null, null);
        mv.visitCode();
        int slot = 65_534 - random.nextInt(4);
        mv.visitVarInsn(Opcodes.ILOAD, A);
        mv.visitVarInsn(Opcodes.ISTORE, slot);
        mv.visitIincInsn(slot, 3);
        mv.visitVarInsn(Opcodes.ILOAD, slot);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * {@code <init>(I)V}: computes 100 / (a % 3) before super(), sometimes inside a try/catch
     * there, stores it in {@code f} after super() and throws when it is above 40.
     */
    private void constructor(ClassWriter cw, String owner) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        mv.visitCode();
        Label end = new Label();
        boolean guarded = random.nextBoolean();
        Label start = new Label();
        Label endTry = new Label();
        Label handler = new Label();
        if (guarded) {
            mv.visitTryCatchBlock(start, endTry, handler, "java/lang/ArithmeticException");
        }
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, 2);
        mv.visitLabel(start);
        mv.visitIntInsn(Opcodes.BIPUSH, 100);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.ICONST_3);
        mv.visitInsn(Opcodes.IREM);
        mv.visitInsn(Opcodes.IDIV);
        mv.visitVarInsn(Opcodes.ISTORE, 2);
        mv.visitLabel(endTry);
        if (guarded) {
            Label initialise = new Label();
            mv.visitJumpInsn(Opcodes.GOTO, initialise);
            mv.visitLabel(handler);
            mv.visitInsn(Opcodes.POP);
            mv.visitInsn(Opcodes.ICONST_M1);
            mv.visitVarInsn(Opcodes.ISTORE, 2);
            mv.visitLabel(initialise);
        }
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 2);
        mv.visitFieldInsn(Opcodes.PUTFIELD, owner, "f", "I");
        mv.visitVarInsn(Opcodes.ILOAD, 2);
        mv.visitIntInsn(Opcodes.BIPUSH, 40);
        mv.visitJumpInsn(Opcodes.IF_ICMPLE, end);
        mv.visitTypeInsn(Opcodes.NEW, ISE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn("after super");
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ISE, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(end);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Computes frames from the few exception types the generator uses, without loading any class. */
    private static final class KnownHierarchyWriter extends ClassWriter {
        KnownHierarchyWriter(int flags) {
            super(flags);
        }

        @Override
        protected String getCommonSuperClass(String type1, String type2) {
            for (String a = type1; a != null; a = SUPER.get(a)) {
                for (String b = type2; b != null; b = SUPER.get(b)) {
                    if (a.equals(b)) {
                        return a;
                    }
                }
            }
            return "java/lang/Object";
        }
    }
}

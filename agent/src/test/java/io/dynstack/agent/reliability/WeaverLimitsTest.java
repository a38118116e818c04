package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.agent.weave.WeaveException;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Class file limits the two added locals and the added code can run into: left unchanged, never broken. */
class WeaverLimitsTest {

    private static final String NAME = "limits/Locals";

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    /** {@code static int get(int a)} that keeps {@code a} in local {@code slot} before returning it. */
    private static byte[] usingLocal(int slot) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, NAME, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "get", "(I)I", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitVarInsn(Opcodes.ISTORE, slot);
        mv.visitVarInsn(Opcodes.ILOAD, slot);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static int maxLocals(byte[] bytes) {
        int[] max = new int[1];
        new ClassReader(bytes).accept(new org.objectweb.asm.ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocalsOfMethod) {
                        max[0] = Math.max(max[0], maxLocalsOfMethod);
                    }
                };
            }
        }, 0);
        return max[0];
    }

    @ParameterizedTest
    @ValueSource(ints = {65_533, 65_534})
    void aMethodWithNoRoomForTwoMoreLocalsIsLeftUnchangedWithAReason(int slot) {
        byte[] original = usingLocal(slot);
        WeaveException e = assertThrows(WeaveException.class,
                () -> new ClassWeaver(WeaveConfig.DEFAULT).weave(original));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
    }

    @Test
    void aMethodWithExactlyRoomForTwoMoreLocalsIsWovenAndRuns() throws Exception {
        // 65,533 locals and one stack slot make a frame of 512 KiB in the model.
        int threadSize = 1 << 21;
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(threadSize));
        byte[] woven = new ClassWeaver(WeaveConfig.DEFAULT).weave(usingLocal(65_532)).bytes();
        assertEquals(65_535, maxLocals(woven));
        assertEquals("", ClassCheck.asm(woven, getClass().getClassLoader()));
        Class<?> c = new ClassCheck.Isolated(getClass().getClassLoader()).defineAndLink("limits.Locals", woven);
        assertEquals(17, c.getMethod("get", int.class).invoke(null, 17));
        assertEquals(threadSize, KernelStack.current().sp());
    }
}

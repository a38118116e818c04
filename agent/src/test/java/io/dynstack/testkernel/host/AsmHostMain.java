package io.dynstack.testkernel.host;

import net.bytebuddy.ByteBuddy;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** A host with its own ASM and Byte Buddy on the class path, which the agent must never weave. */
public final class AsmHostMain {

    private AsmHostMain() {
    }

    public static void main(String[] args) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "host/Empty", null, "java/lang/Object", null);
        writer.visitEnd();
        System.out.println("asm " + writer.toByteArray().length + " bytes");
        System.out.println("byte buddy " + new ByteBuddy().subclass(Object.class).make().getBytes().length + " bytes");
    }
}

package io.dynstack.agent.analyze;

import io.dynstack.agent.weave.FrameSizeModel;
import java.util.List;
import org.objectweb.asm.Opcodes;

/**
 * One method as the weaver will see it: its frame size comes from the same model
 * ({@link FrameSizeModel}), so the analysis and the woven code agree byte for byte.
 *
 * @param declared      the {@code @Frame} values, {@link FrameSizeModel.Declared#NONE} without it
 * @param calls         invoke instructions, in code order
 * @param handleTargets methods named by method handles (lambda bodies, method references)
 */
public record MethodInfo(String name, String desc, int access, int maxLocals, int maxStack,
                         FrameSizeModel.Declared declared, List<Call> calls, List<Call> handleTargets) {

    /** One invoke instruction: {@code opcode owner.name desc}. */
    public record Call(int opcode, String owner, String name, String desc) {
    }

    public boolean hasCode() {
        return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
    }

    public boolean isStatic() {
        return (access & Opcodes.ACC_STATIC) != 0;
    }

    public boolean isPrivate() {
        return (access & Opcodes.ACC_PRIVATE) != 0;
    }

    public int frameSize() {
        return sizes().frame();
    }

    /** The frame and its locals part, as the weaver computes them. */
    public FrameSizeModel.Sizes sizes() {
        return FrameSizeModel.of(maxLocals, maxStack, declared);
    }
}

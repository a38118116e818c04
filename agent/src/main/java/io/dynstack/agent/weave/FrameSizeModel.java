package io.dynstack.agent.weave;

/**
 * The simulated frame size of a method, from its bytecode, as if the JIT laid it out like C:
 *
 * <pre>
 *   frame = align16(return address 8 + saved frame pointer 8 + 8 * (max_locals + max_stack))
 * </pre>
 *
 * max_locals and max_stack are the method's own Code attribute values (before weaving), so the
 * same class file always gives the same sizes. {@code @Frame(bytes = N)} replaces the model with
 * align16(max(N, 16)) for methods that stand for C functions with large locals.
 */
public final class FrameSizeModel {

    public static final int RETURN_ADDRESS = 8;
    public static final int FRAME_POINTER = 8;
    public static final int SLOT = 8;
    public static final int ALIGNMENT = 16;
    /** The smallest frame: return address and saved frame pointer. */
    public static final int MIN_FRAME = RETURN_ADDRESS + FRAME_POINTER;

    private FrameSizeModel() {
    }

    public static int frameSize(int maxLocals, int maxStack) {
        return align(MIN_FRAME + SLOT * (maxLocals + maxStack));
    }

    /** The size given by {@code @Frame(bytes)}. */
    public static int declared(int bytes) {
        return align(Math.max(bytes, MIN_FRAME));
    }

    private static int align(int bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}

package io.dynstack.agent.weave;

/**
 * The simulated frame size of a method, from its bytecode, as if the JIT laid it out like C:
 *
 * <pre>
 *   frame  = align16(return address 8 + saved frame pointer 8 + 8 * (max_locals + max_stack))
 *   locals = frame - return address 8 - saved frame pointer 8
 * </pre>
 *
 * max_locals and max_stack are the method's own Code attribute values (before weaving), so the
 * same class file always gives the same sizes. {@code @Frame(bytes = N)} replaces the model with
 * align16(max(N, 16)) for methods that stand for C functions with large locals;
 * {@code @Frame(bytes = N, align = 8)} takes N at 8-byte granularity (align8(max(N, 8))), for
 * frames measured in a real x86-64 kernel, which keeps its stack 8-byte aligned.
 *
 * <p><b>Locals</b> are the part of the frame STACKLEAK's GCC plugin compares with its threshold
 * ({@code get_frame_size()}: local variables and spill slots, the {@code sub $N,%rsp} area),
 * without the return address and the saved registers. For a modelled method they are its slots
 * with their alignment padding (what {@code sub $N,%rsp} would reserve), so
 * {@code locals = frame - 16}; {@code @Frame(locals = L)} gives them as measured. The whole frame
 * is what the stack pointer moves by; {@link WeaveConfig.Basis} says which of the two the
 * threshold is compared with.
 */
public final class FrameSizeModel {

    public static final int RETURN_ADDRESS = 8;
    public static final int FRAME_POINTER = 8;
    public static final int SLOT = 8;
    public static final int ALIGNMENT = 16;
    /** The granularity of a real x86-64 kernel's frames ({@code @Frame(align = 8)}). */
    public static final int KERNEL_ALIGNMENT = 8;
    /** The smallest frame: return address and saved frame pointer. */
    public static final int MIN_FRAME = RETURN_ADDRESS + FRAME_POINTER;

    /** A method's frame and its locals part, in bytes. */
    public record Sizes(int frame, int locals) {
    }

    private FrameSizeModel() {
    }

    public static int frameSize(int maxLocals, int maxStack) {
        return align(MIN_FRAME + SLOT * (maxLocals + maxStack), ALIGNMENT);
    }

    /** The model's frame and locals for a method without {@code @Frame}. */
    public static Sizes modelled(int maxLocals, int maxStack) {
        int frame = frameSize(maxLocals, maxStack);
        return new Sizes(frame, frame - MIN_FRAME);
    }

    /** The size given by {@code @Frame(bytes)}. */
    public static int declared(int bytes) {
        return declared(bytes, -1, ALIGNMENT).frame();
    }

    /** The sizes given by {@code @Frame(bytes, locals, align)}; {@code locals} -1 for the default. */
    public static Sizes declared(int bytes, int locals, int align) {
        int granule = align == KERNEL_ALIGNMENT ? KERNEL_ALIGNMENT : ALIGNMENT;
        int frame = align(Math.max(bytes, granule), granule);
        return new Sizes(frame, locals >= 0 ? locals : Math.max(0, frame - MIN_FRAME));
    }

    /** The sizes of a method from its Code attribute and its {@code @Frame} values (null where absent). */
    public static Sizes of(int maxLocals, int maxStack, Integer bytes, Integer locals, Integer align) {
        if (bytes == null) {
            return modelled(maxLocals, maxStack);
        }
        return declared(bytes, locals == null ? -1 : locals, align == null ? ALIGNMENT : align);
    }

    private static int align(int bytes, int granule) {
        return (bytes + granule - 1) & -granule;
    }
}

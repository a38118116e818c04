package io.dynstack.agent.weave;

import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;

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

    /** {@code @Frame}'s descriptor in a class file. */
    public static final String FRAME_ANNOTATION = "Lio/dynstack/annotation/Frame;";

    /** A method's frame and its locals part, in bytes. */
    public record Sizes(int frame, int locals) {
    }

    /**
     * A method's {@code @Frame} values as its class file holds them: each null where not given, all
     * null without the annotation ({@link #NONE}).
     */
    public record Declared(Integer bytes, Integer locals, Integer align) {
        public static final Declared NONE = new Declared(null, null, null);
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

    /** The sizes of a method from its Code attribute and its {@code @Frame} values. */
    public static Sizes of(int maxLocals, int maxStack, Declared frame) {
        if (frame.bytes() == null) {
            return modelled(maxLocals, maxStack);
        }
        return declared(frame.bytes(), frame.locals() == null ? -1 : frame.locals(),
                frame.align() == null ? ALIGNMENT : frame.align());
    }

    /**
     * Reads the values of one {@code @Frame} as ASM visits it, giving them to {@code into} at its
     * end: the one reading of the annotation, for the weaver and the analysis alike.
     */
    public static AnnotationVisitor reader(Consumer<Declared> into) {
        return new AnnotationVisitor(Opcodes.ASM9) {
            private Integer bytes;
            private Integer locals;
            private Integer align;

            @Override
            public void visit(String key, Object value) {
                if (value instanceof Integer n) {
                    switch (key) {
                        case "bytes" -> bytes = n;
                        case "locals" -> locals = n;
                        case "align" -> align = n;
                        default -> { }
                    }
                }
            }

            @Override
            public void visitEnd() {
                into.accept(new Declared(bytes, locals, align));
            }
        };
    }

    /** The {@code @Frame} among a method's annotations (ASM tree nodes, either list may be null). */
    public static Declared declared(List<AnnotationNode> visible, List<AnnotationNode> invisible) {
        Declared declared = find(visible);
        return declared != Declared.NONE ? declared : find(invisible);
    }

    private static Declared find(List<AnnotationNode> annotations) {
        Declared[] found = {Declared.NONE};
        if (annotations != null) {
            for (AnnotationNode a : annotations) {
                if (a.desc.equals(FRAME_ANNOTATION)) {
                    a.accept(reader(d -> found[0] = d));
                    break;
                }
            }
        }
        return found[0];
    }

    private static int align(int bytes, int granule) {
        return (bytes + granule - 1) & -granule;
    }
}

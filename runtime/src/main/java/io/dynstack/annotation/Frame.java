package io.dynstack.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the frame-size model for one method, to stand for a C function whose locals
 * (buffers, structs on the stack) are larger than its Java bytecode suggests, or for a real
 * kernel function whose frame was measured ({@code dynstack-agent.jar import} writes these).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface Frame {
    /** Simulated frame size in bytes, return address included; rounded up to a multiple of {@link #align()}, at least that. */
    int bytes();

    /**
     * The locals part of the frame: what STACKLEAK's GCC plugin compares with its threshold
     * ({@code get_frame_size()}, the {@code sub $N,%rsp} area), without the return address and the
     * saved registers. {@code -1} (the default): the frame less return address and saved frame
     * pointer, as the model counts it.
     */
    int locals() default -1;

    /**
     * The granularity {@link #bytes()} is rounded to: 16 (the default, the model's) or 8, for a
     * real x86-64 kernel's frames, which it builds with 8-byte stack alignment. Any other value
     * counts as 16.
     */
    int align() default 16;
}

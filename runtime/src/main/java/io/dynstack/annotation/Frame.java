package io.dynstack.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the frame-size model for one method, to stand for a C function whose locals
 * (buffers, structs on the stack) are larger than its Java bytecode suggests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface Frame {
    /** Simulated frame size in bytes; rounded up to a multiple of 16, at least 16. */
    int bytes();
}

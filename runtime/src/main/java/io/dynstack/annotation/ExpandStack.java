package io.dynstack.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A known deep path: at entry the method calls expand_stack(bytes), mapping pages ahead so that
 * {@code bytes} more fit below its own frame, before anything it calls can fault.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface ExpandStack {
    int bytes();
}

package io.dynstack.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Code that may not sleep (interrupt handlers, code under a spinlock): stack growth while such a
 * method is active cannot wait for memory, so with per-CPU reserves configured it takes reserve
 * pages, and an empty reserve is a panic.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface NoSleep {
}

package io.dynstack.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A known idle point where threads park for long (schedule() from futex wait, epoll wait, a
 * kthread's idle loop): with release at park configured, entering it gives back the stack pages
 * below the thread's sp.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface IdlePoint {
}

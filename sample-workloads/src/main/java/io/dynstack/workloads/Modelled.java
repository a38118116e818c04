package io.dynstack.workloads;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A hand-made kernel method whose frame is modelled, not taken from the kernel data, and why: the
 * function is in a module the data file lacks, it is no function at all (a macro, a register save
 * area), or the workload needs it as it is.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Modelled {
    /** The Linux function it stands for, or {@code ""} for none. */
    String linux() default "";

    /** Why its frame is not the data's. */
    String value();
}

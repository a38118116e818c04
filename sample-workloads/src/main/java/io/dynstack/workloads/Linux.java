package io.dynstack.workloads;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Linux function a hand-made kernel method stands for, by the name the committed kernel data
 * has it under (a clone such as {@code link_path_walk.part.0.constprop.0} is found from its base
 * name). The method's {@code @Frame} is that function's row: {@code bytes} its full frame,
 * {@code locals} its locals, {@code align = 8}; {@code KernelFramesTest} fails on any difference.
 * A method that stands for no function of the data carries {@link Modelled} instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Linux {
    String value();
}

package io.dynstack.agent;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Which classes are kernel classes: those the {@code kernel=} globs name or {@code @KernelCode}
 * marks, less those the {@code excludes=} globs name. The weaver, {@code analyze} and
 * {@code guarantee=} all ask this one rule, so the checks that {@code guarantee=} places are in
 * the classes the weaver weaves. (The agent's own never-woven packages are a separate matter: the
 * agent does not instrument itself or the JDK, whatever this says.)
 */
public final class KernelScope {

    /** {@code @KernelCode}'s class name. */
    public static final String KERNEL_CODE = "io.dynstack.annotation.KernelCode";
    /** {@code @KernelCode}'s descriptor in a class file. */
    public static final String KERNEL_CODE_DESCRIPTOR = "Lio/dynstack/annotation/KernelCode;";

    private final List<String> kernelGlobs;
    private final List<String> excludeGlobs;
    private final KernelGlobs kernel;
    private final KernelGlobs excludes;

    public KernelScope(List<String> kernelGlobs, List<String> excludeGlobs) {
        this.kernelGlobs = List.copyOf(kernelGlobs);
        this.excludeGlobs = List.copyOf(excludeGlobs);
        this.kernel = new KernelGlobs(this.kernelGlobs);
        this.excludes = new KernelGlobs(this.excludeGlobs);
    }

    /** The scope {@code kernel=} and {@code excludes=} give. */
    public static KernelScope of(AgentOptions options) {
        return new KernelScope(options.kernelGlobs(), options.excludeGlobs());
    }

    public List<String> kernelGlobs() {
        return kernelGlobs;
    }

    public List<String> excludeGlobs() {
        return excludeGlobs;
    }

    /**
     * Whether the class named {@code className} (dots, {@code $} for nested classes) is kernel
     * code; {@code marked} says whether it carries {@code @KernelCode}, and is asked only when no
     * glob names the class, since reading annotations costs more than matching a name.
     */
    public boolean contains(String className, BooleanSupplier marked) {
        return (kernel.matches(className) || marked.getAsBoolean()) && !excludes.matches(className);
    }

    public boolean contains(String className, boolean marked) {
        return contains(className, () -> marked);
    }
}

package io.dynstack.agent.weave;

import io.dynstack.runtime.WovenMethods;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/** Weaves one class file to bytes, without an agent: for tests, benchmarks and tools. */
public final class ClassWeaver {

    /** A woven class: its bytes and the methods in it. */
    public record Woven(byte[] bytes, List<WovenMethods.Method> methods) {
    }

    private final WeaveConfig config;
    private final CheckSites sites;

    public ClassWeaver(WeaveConfig config) {
        this(config, CheckSites.NONE);
    }

    public ClassWeaver(WeaveConfig config, CheckSites sites) {
        this.config = config;
        this.sites = sites;
    }

    /** Weaves {@code classFile}; throws if it cannot be woven, leaving the caller to keep the original. */
    public Woven weave(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        KernelClassVisitor visitor = new KernelClassVisitor(writer, config, sites);
        reader.accept(visitor, ClassReader.EXPAND_FRAMES);
        return new Woven(writer.toByteArray(), List.copyOf(visitor.woven()));
    }
}

package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.WovenMethods;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Loads the classes an import generated, each checked by ASM's verifier as generated and again
 * after weaving, then by the JVM's own when it is defined: what the agent does to them, in one test.
 */
final class ImportedLoader extends ClassLoader {

    private final Map<String, byte[]> classes;
    private final ClassWeaver weaver;
    private final boolean asmVerifier;

    ImportedLoader(Map<String, byte[]> classes, WeaveConfig config, boolean asmVerifier) {
        super(ImportedLoader.class.getClassLoader());
        this.classes = classes;
        this.weaver = new ClassWeaver(config);
        this.asmVerifier = asmVerifier;
    }

    static ImportedLoader of(KernelData data, WeaveConfig config) {
        return new ImportedLoader(KernelClasses.of(data).generate(), config, true);
    }

    /** Without ASM's verifier, which takes seconds on a class of a thousand functions: the JVM's still runs. */
    static ImportedLoader large(KernelData data, WeaveConfig config) {
        return new ImportedLoader(KernelClasses.of(data).generate(), config, false);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] generated = classes.get(name.replace('.', '/'));
        if (generated == null) {
            throw new ClassNotFoundException(name);
        }
        ClassWeaver.Woven woven = weaver.weave(generated);
        if (asmVerifier) {
            verify(name + " as generated", generated);
            verify(name + " woven", woven.bytes());
        }
        WovenMethods.register(woven.methods());
        return defineClass(name, woven.bytes(), 0, woven.bytes().length);
    }

    private void verify(String what, byte[] bytes) {
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), getParent(), false, new PrintWriter(problems));
        assertEquals("", problems.toString(), "ASM's verifier on " + what);
    }
}

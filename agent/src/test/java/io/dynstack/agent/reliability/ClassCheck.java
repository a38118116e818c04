package io.dynstack.agent.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/** Both verifiers on one class file: ASM's data-flow check, then HotSpot's own at link time. */
final class ClassCheck {

    private ClassCheck() {
    }

    /** ASM's verifier; an empty string when the class passes. */
    static String asm(byte[] bytes, ClassLoader loader) {
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(problems));
        return problems.toString();
    }

    /** A loader of its own per class, so the same name can be defined woven and unwoven. */
    static final class Isolated extends ClassLoader {
        Isolated(ClassLoader parent) {
            super(parent);
        }

        /**
         * Defines and links the class: HotSpot verifies a class of a non-boot loader when it links
         * it, and asking for its declared methods links it without running its static initialiser.
         */
        Class<?> defineAndLink(String name, byte[] bytes) {
            Class<?> c = defineClass(name, bytes, 0, bytes.length);
            c.getDeclaredMethods();
            return c;
        }
    }
}

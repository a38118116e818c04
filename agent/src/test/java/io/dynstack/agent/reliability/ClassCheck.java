package io.dynstack.agent.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.util.CheckClassAdapter;

/** Both verifiers on one class file: ASM's data-flow check, then HotSpot's own at link time. */
final class ClassCheck {

    private ClassCheck() {
    }

    /**
     * What {@code CheckClassAdapter.verify} checks (the class's structure, then every method with
     * ASM's SimpleVerifier), with the class lookups the verifier makes cached: thousands of library
     * classes would otherwise look up the same types again and again. Empty when the class passes.
     */
    static String asm(byte[] bytes, ClassLoader loader) {
        ClassNode node = new ClassNode();
        try {
            new ClassReader(bytes).accept(new CheckClassAdapter(Opcodes.ASM9, node, false) { }, ClassReader.SKIP_DEBUG);
        } catch (RuntimeException e) {
            return "structure: " + e;
        }
        Type owner = Type.getObjectType(node.name);
        Type superType = node.superName == null ? null : Type.getObjectType(node.superName);
        List<Type> interfaces = node.interfaces.stream().map(Type::getObjectType).toList();
        boolean isInterface = (node.access & Opcodes.ACC_INTERFACE) != 0;
        StringBuilder problems = new StringBuilder();
        for (MethodNode method : node.methods) {
            CachingVerifier verifier = new CachingVerifier(owner, superType, interfaces, isInterface, loader);
            try {
                new Analyzer<>(verifier).analyze(node.name, method);
            } catch (AnalyzerException e) {
                problems.append(method.name).append(method.desc).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return problems.toString();
    }

    private static final class CachingVerifier extends SimpleVerifier {
        private static final Map<ClassLoader, Map<String, Class<?>>> CLASSES = new ConcurrentHashMap<>();
        private final ClassLoader loader;

        CachingVerifier(Type owner, Type superType, List<Type> interfaces, boolean isInterface, ClassLoader loader) {
            super(Opcodes.ASM9, owner, superType, interfaces, isInterface);
            this.loader = loader;
            setClassLoader(loader);
        }

        @Override
        protected Class<?> getClass(Type type) {
            return CLASSES.computeIfAbsent(loader, l -> new ConcurrentHashMap<>())
                    .computeIfAbsent(type.getDescriptor(), d -> super.getClass(type));
        }
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

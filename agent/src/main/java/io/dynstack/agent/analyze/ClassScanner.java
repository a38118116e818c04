package io.dynstack.agent.analyze;

import io.dynstack.agent.KernelScope;
import io.dynstack.agent.weave.FrameSizeModel;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Reads a class file into a {@link ClassInfo}. Debug information and stack map frames are skipped:
 * the frame-size model needs only max_locals and max_stack, the call graph only invoke instructions.
 */
public final class ClassScanner {


    private ClassScanner() {
    }

    /** Scans {@code bytes}; a malformed class file throws (any RuntimeException from ASM). */
    public static ClassInfo scan(byte[] bytes, String origin) {
        ClassReader reader = new ClassReader(bytes);
        Visitor visitor = new Visitor(origin);
        reader.accept(visitor, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return visitor.result();
    }

    /** The hierarchy and method declarations only, without code: for library supertypes. */
    static ClassInfo scanHeader(byte[] bytes, String origin) {
        ClassReader reader = new ClassReader(bytes);
        Visitor visitor = new Visitor(origin);
        reader.accept(visitor, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return visitor.result();
    }

    private static final class Visitor extends ClassVisitor {
        private final String origin;
        private final List<MethodInfo> methods = new ArrayList<>();
        private String name;
        private String superName;
        private List<String> interfaces;
        private boolean kernelCode;

        Visitor(String origin) {
            super(Opcodes.ASM9);
            this.origin = origin;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (KernelScope.KERNEL_CODE_DESCRIPTOR.equals(descriptor)) {
                kernelCode = true;
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String methodName, String descriptor, String signature,
                                         String[] exceptions) {
            return new MethodScanner(access, methodName, descriptor, methods);
        }

        ClassInfo result() {
            return new ClassInfo(name, superName, interfaces, kernelCode, List.copyOf(methods), origin);
        }
    }

    private static final class MethodScanner extends MethodVisitor {
        private final int access;
        private final String name;
        private final String desc;
        private final List<MethodInfo> out;
        private final List<MethodInfo.Call> calls = new ArrayList<>();
        private final List<MethodInfo.Call> handles = new ArrayList<>();
        private int maxLocals;
        private int maxStack;
        private FrameSizeModel.Declared declared = FrameSizeModel.Declared.NONE;

        MethodScanner(int access, String name, String desc, List<MethodInfo> out) {
            super(Opcodes.ASM9);
            this.access = access;
            this.name = name;
            this.desc = desc;
            this.out = out;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return FrameSizeModel.FRAME_ANNOTATION.equals(descriptor) ? FrameSizeModel.reader(d -> declared = d) : null;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String methodName, String descriptor,
                                    boolean isInterface) {
            calls.add(new MethodInfo.Call(opcode, owner, methodName, descriptor));
        }

        @Override
        public void visitInvokeDynamicInsn(String methodName, String descriptor, Handle bootstrap, Object... args) {
            for (Object arg : args) {
                handle(arg);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            handle(value);
        }

        private void handle(Object value) {
            if (value instanceof Handle h && h.getTag() >= Opcodes.H_INVOKEVIRTUAL) {
                handles.add(new MethodInfo.Call(h.getTag(), h.getOwner(), h.getName(), h.getDesc()));
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            this.maxStack = maxStack;
            this.maxLocals = maxLocals;
        }

        @Override
        public void visitEnd() {
            out.add(new MethodInfo(name, desc, access, maxLocals, maxStack, declared, List.copyOf(calls),
                    List.copyOf(handles)));
        }
    }
}

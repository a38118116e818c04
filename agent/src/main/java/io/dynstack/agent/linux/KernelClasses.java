package io.dynstack.agent.linux;

import io.dynstack.agent.KernelScope;
import io.dynstack.agent.linux.KernelData.Function;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A kernel's functions as kernel classes: one public static method per function, whose frame is
 * the real one, steered by a path so that any chain of its functions can run through the real
 * frames. The layout (which class holds which function, what each may call) is computed from the
 * data alone, so the import and {@link Replay} agree without a table in between.
 *
 * <p>Every function {@code f} becomes, in class {@code linux.<module>.K<nnnn>} (annotated
 * {@code @KernelCode}):
 *
 * <pre>
 *   &#64;Frame(bytes = full, locals = locals, align = 8)
 *   public static void f(int[] path, int at, Object[] hooks) {
 *       if (at == path.length) { ((Runnable) hooks[0]).run(); return; }   // the chain ends here: the leaf action
 *       switch (path[at]) {
 *           case g: K0012.g(path, at + 1, hooks); return;                  // every function f reaches directly
 *           ...
 *           default: ((MethodHandle) hooks[at]).invokeExact(path, at + 1, hooks); return;  // if f has indirect call sites
 *       }
 *       throw new IllegalArgumentException(...);                 // no such call: Replay never builds this path
 *   }
 * </pre>
 *
 * <p>{@code path} holds the row index of each function of the chain; {@code hooks[0]} the leaf
 * action and {@code hooks[at]} the method handle of an indirect step's target. They come in as
 * an argument of a JRE type, so a generated class needs nothing but the JDK, works in any class loader and keeps
 * no state: threads replay different chains at once. To the analysis, {@code leaf.run()} is a
 * call out of the kernel (no edge) and {@code MethodHandle.invokeExact} a reflective call: an
 * indirect call site is unresolvable, so {@code guarantee=} maps its margin right before it.
 *
 * <p><b>Tail calls.</b> When {@code c} ends in a jump to {@code t}, {@code c}'s frame is gone when
 * {@code t} runs: {@code t}'s frame sits where {@code c}'s was, and a stack trace shows {@code t}
 * called from {@code c}'s caller. So the cases of {@code f} are its direct callees and, for each,
 * the functions it reaches by tail calls (transitively): {@code f} calls {@code t} itself, exactly
 * as the stack has it, and {@code c}'s method never calls its tail callees.
 */
public final class KernelClasses {

    /**
     * The generated methods' descriptor: {@code (int[] path, int at, Object[] hooks)}, with
     * {@code hooks[0]} the leaf action (a {@link Runnable}) and {@code hooks[i]} the
     * {@link java.lang.invoke.MethodHandle} of step {@code i} when that step is indirect.
     */
    public static final String DESCRIPTOR = "([II[Ljava/lang/Object;)V";
    /** Every generated class is under this package (the agent option {@code kernel=linux.**}). */
    public static final String PACKAGE = "linux";
    private static final String FRAME = "Lio/dynstack/annotation/Frame;";
    /** A class is closed at this many methods or estimated constant-pool entries, far below the limits. */
    private static final int MAX_METHODS = 2000;
    private static final int MAX_CONSTANTS = 40_000;

    private final KernelData data;
    private final String[] owner;
    private final String[] method;
    private final int[][] cases;
    private final List<String> classes;

    private KernelClasses(KernelData data) {
        this.data = data;
        int n = data.functions().size();
        owner = new String[n];
        method = new String[n];
        cases = new int[n][];
        for (int f = 0; f < n; f++) {
            method[f] = methodName(data.function(f).name());
        }
        reachable();
        classes = assignClasses();
    }

    /** The layout of {@code data}; names no JVM method can carry are an {@link IllegalArgumentException}. */
    public static KernelClasses of(KernelData data) {
        return new KernelClasses(data);
    }

    public KernelData data() {
        return data;
    }

    /** The internal name of the class holding function {@code f} ({@code linux/vmlinux/K0003}). */
    public String owner(int f) {
        return owner[f];
    }

    /** The method name of function {@code f}: its name, with {@code .} as {@code $} and {@code $} as {@code $$}. */
    public String method(int f) {
        return method[f];
    }

    /** The functions {@code f} calls in the generated code, sorted: direct callees and their tail callees. */
    public int[] cases(int f) {
        return cases[f];
    }

    /** Every generated class, internal names, in order. */
    public List<String> classes() {
        return classes;
    }

    /** Whether {@code callee} is one of {@code caller}'s cases. */
    public boolean calls(int caller, int callee) {
        return Arrays.binarySearch(cases[caller], callee) >= 0;
    }

    /**
     * A JVM method name for a kernel symbol: {@code .} (clone suffixes) becomes {@code $} and a
     * {@code $} becomes {@code $$}, so the name reads back; {@code ~} (the data's duplicate marker)
     * stays. A name with a character no method name may hold ({@code ; [ / < >}) is refused.
     */
    public static String methodName(String symbol) {
        StringBuilder out = new StringBuilder(symbol.length() + 4);
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            switch (c) {
                case '.' -> out.append('$');
                case '$' -> out.append("$$");
                case ';', '[', '/', '<', '>' -> throw new IllegalArgumentException("kernel function '" + symbol
                        + "' has a '" + c + "', which no JVM method name may hold");
                default -> out.append(c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("a kernel function has an empty name");
        }
        return out.toString();
    }

    /** The symbol a generated method name stands for: the inverse of {@link #methodName}. */
    public static String symbol(String methodName) {
        StringBuilder out = new StringBuilder(methodName.length());
        for (int i = 0; i < methodName.length(); i++) {
            char c = methodName.charAt(i);
            if (c == '$' && i + 1 < methodName.length() && methodName.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else {
                out.append(c == '$' ? '.' : c);
            }
        }
        return out.toString();
    }

    /** The cases of every function: direct callees, plus what each reaches by tail calls. */
    private void reachable() {
        int n = data.functions().size();
        int[][] tailClosure = new int[n][];
        int[] seen = new int[n];
        int stamp = 0;
        int[] queue = new int[n];
        for (int f = 0; f < n; f++) {
            if (data.function(f).tailCalls().length == 0) {
                tailClosure[f] = data.function(f).tailCalls();
                continue;
            }
            stamp++;
            int head = 0;
            int tail = 0;
            for (int t : data.function(f).tailCalls()) {
                if (seen[t] != stamp) {
                    seen[t] = stamp;
                    queue[tail++] = t;
                }
            }
            while (head < tail) {
                int t = queue[head++];
                for (int u : data.function(t).tailCalls()) {
                    if (seen[u] != stamp) {
                        seen[u] = stamp;
                        queue[tail++] = u;
                    }
                }
            }
            tailClosure[f] = Arrays.copyOf(queue, tail);
        }
        for (int f = 0; f < n; f++) {
            stamp++;
            int size = 0;
            for (int c : data.function(f).calls()) {
                if (seen[c] != stamp) {
                    seen[c] = stamp;
                    queue[size++] = c;
                }
                for (int t : tailClosure[c]) {
                    if (seen[t] != stamp) {
                        seen[t] = stamp;
                        queue[size++] = t;
                    }
                }
            }
            int[] sorted = Arrays.copyOf(queue, size);
            Arrays.sort(sorted);
            cases[f] = sorted;
        }
    }

    /** Functions, in row order per module, fill classes until one would pass a limit. */
    private List<String> assignClasses() {
        Map<String, List<Integer>> byModule = new LinkedHashMap<>();
        for (int f = 0; f < data.functions().size(); f++) {
            byModule.computeIfAbsent(data.function(f).module(), m -> new ArrayList<>()).add(f);
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byModule.entrySet()) {
            String pkg = PACKAGE + "/" + packageName(e.getKey());
            int number = 0;
            int methods = 0;
            int constants = 0;
            String current = null;
            for (int f : e.getValue()) {
                int cost = 4 + 5 * cases[f].length;
                if (current == null || methods + 1 > MAX_METHODS || constants + cost > MAX_CONSTANTS) {
                    current = String.format("%s/K%04d", pkg, number++);
                    out.add(current);
                    methods = 0;
                    constants = 100;
                }
                owner[f] = current;
                methods++;
                constants += cost;
            }
        }
        return List.copyOf(out);
    }

    /** A module name as a package name: {@code vmlinux}, {@code nf_tables}; other characters become {@code _}. */
    static String packageName(String module) {
        StringBuilder out = new StringBuilder();
        for (char c : module.toCharArray()) {
            out.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        }
        if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
            out.insert(0, 'm');
        }
        return out.toString();
    }

    /** The class files, by internal name, in {@link #classes()} order. */
    public Map<String, byte[]> generate() {
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        for (String c : classes) {
            members.put(c, new ArrayList<>());
        }
        for (int f = 0; f < owner.length; f++) {
            members.get(owner[f]).add(f);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        members.entrySet().parallelStream().map(e -> Map.entry(e.getKey(), generate(e.getKey(), e.getValue())))
                .toList().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private byte[] generate(String className, List<Integer> functions) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, className, null,
                "java/lang/Object", null);
        cw.visitSource(data.header().release(), null);
        cw.visitAnnotation(KernelScope.KERNEL_CODE_DESCRIPTOR, true).visitEnd();
        for (int f : functions) {
            method(cw, f);
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private void method(ClassWriter cw, int f) {
        Function fn = data.function(f);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, method[f], DESCRIPTOR, null, null);
        AnnotationVisitor frame = mv.visitAnnotation(FRAME, true);
        frame.visit("bytes", fn.full());
        frame.visit("locals", fn.locals());
        frame.visit("align", 8);
        frame.visitEnd();
        mv.visitCode();
        Label step = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitJumpInsn(Opcodes.IF_ICMPLT, step);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/Runnable");
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/lang/Runnable", "run", "()V", true);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(step);
        mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        int[] targets = cases[f];
        Label[] labels = new Label[targets.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = new Label();
        }
        Label other = new Label();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.IALOAD);
        mv.visitLookupSwitchInsn(other, targets, labels);
        for (int i = 0; i < targets.length; i++) {
            mv.visitLabel(labels[i]);
            mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            nextArguments(mv);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner[targets[i]], method[targets[i]], DESCRIPTOR, false);
            mv.visitInsn(Opcodes.RETURN);
        }
        mv.visitLabel(other);
        mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        if (fn.indirect() > 0) {
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/invoke/MethodHandle");
            nextArguments(mv);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", DESCRIPTOR,
                    false);
            mv.visitInsn(Opcodes.RETURN);
        } else {
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalArgumentException");
            mv.visitInsn(Opcodes.DUP);
            mv.visitLdcInsn(fn.name() + " has no call to the next step of the path");
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalArgumentException", "<init>",
                    "(Ljava/lang/String;)V", false);
            mv.visitInsn(Opcodes.ATHROW);
        }
        mv.visitMaxs(4, 3);
        mv.visitEnd();
    }

    /** path, at + 1, hooks. */
    private static void nextArguments(MethodVisitor mv) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
    }
}

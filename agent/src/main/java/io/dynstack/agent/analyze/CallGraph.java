package io.dynstack.agent.analyze;

import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.FrameSizeModel;
import io.dynstack.runtime.MethodKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;

/**
 * The calls between kernel methods, from their bytecode. A node is a kernel method with code (the
 * methods the weaver gives a frame); an edge is an invoke instruction that may run it.
 *
 * <p>Static, special and private calls go to the one method the JVM resolves. A virtual or
 * interface call may reach, for every class in the analysed code that is a subtype of the named
 * owner, the method that class would select: so it reaches every override (class-hierarchy
 * analysis). Calls to code outside the kernel are not edges: non-kernel frames take no simulated
 * stack.
 *
 * <p>An <em>entry</em> is a kernel method that code the analysis does not follow may call, so its
 * chain cannot be known to start below a check: one called from non-kernel code in the input, one
 * that overrides a method of a non-kernel supertype (a callback such as {@code Runnable.run} or
 * {@code toString}), one named by a method handle (a lambda body or method reference, called from
 * a generated class), a static initialiser (it runs wherever its class is first used), and a
 * method no other kernel method calls. A recursive component that no method outside it calls,
 * and that has no entry yet, is entered by its first method.
 */
public final class CallGraph {

    /** One kernel method: its class (dotted name), name, descriptor, frame size and the locals part of it. */
    public record Method(MethodKey key, int frameSize, int locals) {
        public String className() {
            return key.className();
        }

        public String name() {
            return key.name();
        }

        public String desc() {
            return key.descriptor();
        }
    }

    private static final Object MISSING = new Object();

    private final Map<String, ClassInfo> classes = new HashMap<>();
    private final Map<String, Object> library = new HashMap<>();
    private final Map<String, List<String>> subtypes = new HashMap<>();
    private final Map<String, List<String>> allSubtypes = new HashMap<>();
    /** Per class name, its methods by name and descriptor. */
    private final Map<String, Map<String, MethodInfo>> declared = new HashMap<>();
    private final Map<MethodKey, Integer> index = new HashMap<>();
    private final Map<MethodInfo, Integer> nodes = new IdentityHashMap<>();
    private final Map<MethodInfo.Call, int[]> resolved = new HashMap<>();
    private final Map<String, External> externalMethods = new HashMap<>();
    private final Map<String, External> through = new HashMap<>();
    private final Predicate<ClassInfo> kernel;
    private final List<Method> methods = new ArrayList<>();
    private final List<ClassInfo> owners = new ArrayList<>();
    private final List<MethodInfo> infos = new ArrayList<>();
    private final Map<Integer, String> entries = new LinkedHashMap<>();
    private int[][] callees;
    private Tarjan.Result recursion;

    private CallGraph(Predicate<ClassInfo> kernel) {
        this.kernel = kernel;
    }

    /** The graph of the kernel classes among {@code input}; the rest of the input is hierarchy and callers. */
    public static CallGraph build(List<ClassInfo> input, Predicate<ClassInfo> kernel) {
        CallGraph g = new CallGraph(kernel);
        for (ClassInfo c : input) {
            if (g.classes.putIfAbsent(c.name(), c) == null) {
                Map<String, MethodInfo> byName = new HashMap<>();
                for (MethodInfo m : c.methods()) {
                    byName.put(m.name() + m.desc(), m);
                }
                g.declared.put(c.name(), byName);
                if (c.superName() != null) {
                    g.subtypes.computeIfAbsent(c.superName(), k -> new ArrayList<>()).add(c.name());
                }
                for (String i : c.interfaces()) {
                    g.subtypes.computeIfAbsent(i, k -> new ArrayList<>()).add(c.name());
                }
            }
        }
        for (ClassInfo c : g.classes.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            if (kernel.test(c)) {
                for (MethodInfo m : c.methods()) {
                    if (m.hasCode()) {
                        MethodKey key = new MethodKey(c.className(), m.name(), m.desc());
                        g.index.put(key, g.methods.size());
                        g.nodes.put(m, g.methods.size());
                        FrameSizeModel.Sizes sizes = m.sizes();
                        g.methods.add(new Method(key, sizes.frame(), sizes.locals()));
                        g.owners.add(c);
                        g.infos.add(m);
                    }
                }
            }
        }
        g.link();
        return g;
    }

    private void link() {
        int n = methods.size();
        callees = new int[n][];
        for (int v = 0; v < n; v++) {
            MethodInfo m = infos.get(v);
            int[][] perCall = new int[m.calls().size()][];
            int total = 0;
            for (int i = 0; i < perCall.length; i++) {
                perCall[i] = targets(m.calls().get(i));
                total += perCall[i].length;
            }
            int[] all = new int[total];
            int at = 0;
            for (int[] targets : perCall) {
                System.arraycopy(targets, 0, all, at, targets.length);
                at += targets.length;
            }
            callees[v] = sortedDistinct(all, all.length);
            for (MethodInfo.Call h : m.handleTargets()) {
                for (int t : targets(h)) {
                    entry(t, "named by a method handle (lambda body or method reference)");
                }
            }
            if (m.name().equals("<clinit>")) {
                entry(v, "static initialiser: runs wherever its class is first used");
            }
            String external = overriddenOutside(owners.get(v), m);
            if (external != null) {
                entry(v, "overrides " + external + ", which code outside the kernel may call");
            }
        }
        for (ClassInfo c : classes.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            if (!kernel.test(c)) {
                for (MethodInfo m : c.methods()) {
                    for (MethodInfo.Call call : m.calls()) {
                        for (int t : targets(call)) {
                            entry(t, "called from non-kernel code " + c.className() + "." + m.name());
                        }
                    }
                }
            }
        }
        boolean[] all = new boolean[n];
        Arrays.fill(all, true);
        recursion = Tarjan.run(callees, all);
        boolean[] calledFromOutside = new boolean[recursion.components().size()];
        for (int v = 0; v < n; v++) {
            for (int w : callees[v]) {
                if (recursion.component()[v] != recursion.component()[w]) {
                    calledFromOutside[recursion.component()[w]] = true;
                }
            }
        }
        for (int c = 0; c < calledFromOutside.length; c++) {
            int[] members = recursion.components().get(c);
            if (!calledFromOutside[c] && Arrays.stream(members).noneMatch(entries::containsKey)) {
                entry(members[0], members.length == 1 && !recursion.cyclic()[c] ? "no other kernel method calls it"
                        : "no kernel method outside its recursion calls it");
            }
        }
    }

    private void entry(int v, String reason) {
        entries.putIfAbsent(v, reason);
    }

    /** The kernel methods {@code call} may run. */
    private int[] targets(MethodInfo.Call call) {
        int[] cached = resolved.get(call);
        if (cached != null) {
            return cached;
        }
        IntList out = new IntList();
        String signature = call.name() + call.desc();
        MethodInfo decl = resolve(call.owner(), signature);
        addNode(out, decl);
        boolean virtual = call.opcode() == Opcodes.INVOKEVIRTUAL || call.opcode() == Opcodes.INVOKEINTERFACE
                || call.opcode() == Opcodes.H_INVOKEVIRTUAL || call.opcode() == Opcodes.H_INVOKEINTERFACE;
        boolean fixed = decl != null && (decl.isPrivate() || decl.isStatic()
                || (decl.access() & Opcodes.ACC_FINAL) != 0);
        if (virtual && !fixed) {
            for (String sub : allSubtypes(call.owner())) {
                MethodInfo m = resolve(sub, signature);
                if (m != null && !m.isStatic()) {
                    addNode(out, m);
                }
            }
        }
        int[] result = sortedDistinct(out.values, out.size);
        resolved.put(call, result);
        return result;
    }

    private void addNode(IntList out, MethodInfo m) {
        if (m != null) {
            Integer i = nodes.get(m);
            if (i != null) {
                out.add(i);
            }
        }
    }

    /** A growable list of nodes, without boxing them. */
    private static final class IntList {
        int[] values = new int[4];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /** The first {@code size} of {@code values}, sorted, each once. */
    private static int[] sortedDistinct(int[] values, int size) {
        int[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return distinct == sorted.length ? sorted : Arrays.copyOf(sorted, distinct);
    }

    /**
     * The method a class selects for {@code signature} (name and descriptor): up the superclass
     * chain, then default methods of its interfaces.
     */
    private MethodInfo resolve(String className, String signature) {
        for (ClassInfo c = classes.get(className); c != null; c = c.superName() == null ? null : classes.get(c.superName())) {
            MethodInfo m = declared.get(c.name()).get(signature);
            if (m != null) {
                return m;
            }
        }
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (ClassInfo c = classes.get(className); c != null; c = c.superName() == null ? null : classes.get(c.superName())) {
            todo.addAll(c.interfaces());
        }
        while (!todo.isEmpty()) {
            ClassInfo i = classes.get(todo.poll());
            if (i == null || !seen.add(i.name())) {
                continue;
            }
            MethodInfo m = declared.get(i.name()).get(signature);
            if (m != null && m.hasCode()) {
                return m;
            }
            todo.addAll(i.interfaces());
        }
        return null;
    }

    private List<String> allSubtypes(String owner) {
        List<String> cached = allSubtypes.get(owner);
        if (cached != null) {
            return cached;
        }
        List<String> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(subtypes.getOrDefault(owner, List.of()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String s = todo.poll();
            if (seen.add(s)) {
                out.add(s);
                todo.addAll(subtypes.getOrDefault(s, List.of()));
            }
        }
        allSubtypes.put(owner, out);
        return out;
    }

    /** The non-kernel supertype whose method {@code m} overrides, or null. */
    private String overriddenOutside(ClassInfo c, MethodInfo m) {
        if (m.isStatic() || m.isPrivate() || m.name().startsWith("<")) {
            return null;
        }
        External external = externalMethods(c);
        String signature = m.name() + m.desc();
        String owner = external.owners().get(signature);
        String unreadable = external.unreadable().isEmpty() ? null : external.unreadable().first();
        if (unreadable != null && (owner == null || (unreadable + " ?").compareTo(owner + " " + signature) < 0)) {
            return "a method of " + unreadable + " (not readable, assumed to declare it)";
        }
        return owner == null ? null : owner.replace('/', '.') + "." + m.name();
    }

    /**
     * What a class inherits from non-kernel supertypes: for each method name and descriptor, the
     * first such supertype (in name order) that declares it; and the supertypes that cannot be read.
     */
    private record External(Map<String, String> owners, SortedSet<String> unreadable) {

        static final External NONE = new External(Map.of(), new TreeSet<>());

        External plus(External other) {
            Map<String, String> merged = new HashMap<>(owners);
            other.owners.forEach((signature, owner) -> merged.merge(signature, owner, External::first));
            SortedSet<String> missing = new TreeSet<>(unreadable);
            missing.addAll(other.unreadable);
            return new External(merged, missing);
        }

        static String first(String a, String b) {
            return (a + " ").compareTo(b + " ") <= 0 ? a : b;
        }
    }

    /** What {@code c} inherits from non-kernel supertypes, through all of its supertypes. */
    private External externalMethods(ClassInfo c) {
        External cached = externalMethods.get(c.name());
        if (cached != null) {
            return cached;
        }
        List<String> supers = new ArrayList<>(c.interfaces());
        if (c.superName() != null) {
            supers.add(0, c.superName());
        }
        External out = External.NONE;
        for (String s : supers) {
            // A class with one supertype shares what it inherits through it: most classes do.
            out = out == External.NONE ? through(s) : out.plus(through(s));
        }
        externalMethods.put(c.name(), out);
        return out;
    }

    /** What a subtype inherits from non-kernel code through its direct supertype {@code s}. */
    private External through(String s) {
        External cached = through.get(s);
        if (cached != null) {
            return cached;
        }
        ClassInfo info = lookup(s);
        External out;
        if (info == null) {
            SortedSet<String> missing = new TreeSet<>();
            missing.add(s);
            out = new External(Map.of(), missing);
        } else {
            out = externalMethods(info);
            if (!classes.containsKey(s) || !kernel.test(info)) {
                Map<String, String> own = new HashMap<>();
                for (MethodInfo m : info.methods()) {
                    if (!m.isStatic() && !m.isPrivate() && !m.name().startsWith("<")) {
                        own.put(m.name() + m.desc(), s);
                    }
                }
                out = out.plus(new External(own, new TreeSet<>()));
            }
        }
        through.put(s, out);
        return out;
    }

    /** A class from the input, else its declarations from the JDK or the analysing class path. */
    private ClassInfo lookup(String name) {
        ClassInfo c = classes.get(name);
        if (c != null) {
            return c;
        }
        Object found = library.computeIfAbsent(name, n -> {
            try (InputStream in = ClassLoader.getSystemResourceAsStream(n + ".class")) {
                return in == null ? MISSING : ClassScanner.scanHeader(in.readAllBytes(), n);
            } catch (IOException | RuntimeException e) {
                return MISSING;
            }
        });
        return found == MISSING ? null : (ClassInfo) found;
    }

    public int size() {
        return methods.size();
    }

    public Method method(int v) {
        return methods.get(v);
    }

    public int frameSize(int v) {
        return methods.get(v).frameSize();
    }

    /** The locals part of the frame of {@code v} ({@link FrameSizeModel}). */
    public int locals(int v) {
        return methods.get(v).locals();
    }

    /** The kernel methods {@code v} may call, sorted by node. */
    public int[] callees(int v) {
        return callees[v];
    }

    int[][] callees() {
        return callees;
    }

    /** The node of a method, or -1. */
    public int node(MethodKey key) {
        Integer i = index.get(key);
        return i == null ? -1 : i;
    }

    /** The node of a method key spelled {@code com.acme.Vfs.read(I)J}, or -1. */
    public int node(String key) {
        return node(MethodKey.parse(key));
    }

    /**
     * Methods that make a reflective call ({@link CheckSites#REFLECTIVE_CALLS}): calls with no
     * edges, since their targets are chosen at run time.
     */
    public List<Integer> reflectiveCallers() {
        List<Integer> out = new ArrayList<>();
        for (int v = 0; v < methods.size(); v++) {
            if (infos.get(v).calls().stream().anyMatch(c -> CheckSites.reflective(c.owner(), c.name()))) {
                out.add(v);
            }
        }
        return out;
    }

    /** Entries, by node, with why each is one. */
    public Map<Integer, String> entries() {
        return entries;
    }

    /** The recursive components of the whole graph (cycles of calls), each as its sorted nodes. */
    public List<int[]> recursion() {
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < recursion.components().size(); c++) {
            if (recursion.cyclic()[c]) {
                out.add(recursion.components().get(c));
            }
        }
        return out;
    }
}

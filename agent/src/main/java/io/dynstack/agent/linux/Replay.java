package io.dynstack.agent.linux;

import io.dynstack.agent.linux.KernelData.Function;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a chain of real kernel functions through the classes {@code import} generated, so that the
 * simulated stack holds exactly their frames, and ends in a leaf action (a thread parks there, at
 * its real sleep point). Under the agent ({@code kernel=linux.**} or nothing: the classes are
 * {@code @KernelCode}) each frame is woven like any kernel method's, so every design's checks,
 * grows, faults and panics apply.
 *
 * <pre>
 *   Replay.run(() -&gt; parkHere(), "entry_SYSCALL_64", "do_syscall_64", "__x64_sys_futex", "do_futex",
 *              "futex_wait", "futex_wait_queue", "schedule");
 *
 *   Replay kernel = Replay.load(loader);                 // the data the jar on that loader was made from
 *   Replay.Chain chain = kernel.chain("do_syscall_64", ..., "schedule");   // checked once
 *   chain.frames();                                      // bytes it takes: the sum of its frames
 *   chain.run(leaf);                                     // as often as wanted, from any thread
 * </pre>
 *
 * <p>A chain is given outermost first, as a stack trace reads from the bottom up, and may use
 * the names a trace prints ({@link KernelData#lookup}: {@code .isra.0}, {@code .cold} and
 * {@code ~2} variants resolve). Each step {@code a > b} is one of:
 * <ul>
 *   <li><b>direct</b>: {@code a} calls {@code b}, or calls a function that ends in a tail call to
 *       {@code b} (the stack then holds {@code b} right below {@code a}, as a trace shows);</li>
 *   <li><b>tail</b>: {@code a} itself ends in a jump to {@code b}: {@code a}'s frame is gone when
 *       {@code b} runs, so the replay runs {@code b} in {@code a}'s place and {@code a}'s frame is not
 *       on the stack ({@link Chain#functions()} leaves it out);</li>
 *   <li><b>indirect</b>: {@code a} has an indirect call site ({@code call *}, a retpoline, a
 *       static call) and {@code b} is any function: the analysis cannot know the target, so the
 *       step goes through a method handle.</li>
 * </ul>
 * They are tried in that order: a trace shows {@code a > b} only while {@code a}'s frame is on the
 * stack, so a function that both calls {@code b} (directly or through an indirect site) and
 * jumps to it is taken to have called it. Anything else is one {@link IllegalArgumentException}
 * naming the step: an unknown function, or a step that is none of these.
 */
public final class Replay {

    /** Where {@code import} puts the data in the jar, for {@link #load(ClassLoader)}. */
    public static final String DATA_RESOURCE = "linux/kernel.kframes.gz";
    private static final MethodType TYPE = MethodType.fromMethodDescriptorString(KernelClasses.DESCRIPTOR, null);
    private static volatile Replay system;

    private final KernelClasses layout;
    private final Map<String, Integer> index;
    private final ClassLoader loader;
    private final Map<Integer, MethodHandle> handles = new ConcurrentHashMap<>();

    private Replay(KernelClasses layout, ClassLoader loader) {
        this.layout = layout;
        this.index = layout.data().indexByName();
        this.loader = loader;
    }

    /** How one step of a chain reaches its function. */
    public enum Step { ENTRY, DIRECT, INDIRECT }

    /**
     * A checked chain, ready to run.
     *
     * @param functions the functions whose frames are on the stack, outermost first (a function
     *                  that tail-called the next is not)
     * @param steps     how each of those was reached ({@code ENTRY} for the first)
     * @param frames    the bytes the chain takes: the sum of their full frames
     * @param path      the row index of each of those functions: the generated methods' path argument
     * @param handles   the method handle of the first function, and of each reached by an indirect step
     */
    public record Chain(Replay replay, List<Function> functions, List<Step> steps, long frames, int[] path,
                        MethodHandle[] handles) {

        /** The names of {@link #functions()}, outermost first. */
        public List<String> names() {
            return functions.stream().map(Function::name).toList();
        }

        /** Runs the chain on this thread and {@code leaf} at its innermost frame; returns when the leaf returns. */
        public void run(Runnable leaf) {
            replay.invoke(this, Objects.requireNonNull(leaf, "leaf"));
        }
    }

    /** The data of {@code import}ed classes on {@code loader} (its {@link #DATA_RESOURCE}). */
    public static Replay load(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream(DATA_RESOURCE)) {
            if (in == null) {
                throw new IOException("no " + DATA_RESOURCE + " on the class path: put the jar that"
                        + " 'java -jar dynstack-agent.jar import' wrote on it");
            }
            return of(KernelData.read(in, DATA_RESOURCE), loader);
        }
    }

    /** Replays {@code data}'s functions through the classes generated from it, loaded from {@code loader}. */
    public static Replay of(KernelData data, ClassLoader loader) {
        return new Replay(KernelClasses.of(data), loader);
    }

    /** The replay of the imported kernel on the system class path, loaded once. */
    public static Replay system() {
        Replay r = system;
        if (r == null) {
            synchronized (Replay.class) {
                if (system == null) {
                    try {
                        system = load(ClassLoader.getSystemClassLoader());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                r = system;
            }
        }
        return r;
    }

    /** {@code system().chain(chain).run(leaf)}: the chain outermost first, the leaf at its innermost frame. */
    public static void run(Runnable leaf, String... chainOutermostFirst) {
        system().chain(chainOutermostFirst).run(leaf);
    }

    public KernelData data() {
        return layout.data();
    }

    /** Checks a chain, outermost first; one {@link IllegalArgumentException} for the first step that cannot be. */
    public Chain chain(String... outermostFirst) {
        if (outermostFirst.length == 0) {
            throw new IllegalArgumentException("an empty chain: give kernel functions, outermost first");
        }
        KernelData data = layout.data();
        List<Integer> run = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        int previous = -1;
        for (int i = 0; i < outermostFirst.length; i++) {
            String name = outermostFirst[i];
            int f = resolve(name, previous);
            if (f < 0) {
                throw new IllegalArgumentException("unknown kernel function '" + name + "' (step " + (i + 1)
                        + " of the chain) in " + data.header().release());
            }
            if (previous < 0) {
                run.add(f);
                steps.add(Step.ENTRY);
            } else if (layout.calls(previous, f)) {
                run.add(f);
                steps.add(Step.DIRECT);
            } else if (data.function(previous).indirect() > 0) {
                run.add(f);
                steps.add(Step.INDIRECT);
            } else if (tailCalls(previous, f)) {
                // previous's frame is gone: f runs where it was, reached the way previous was.
                run.set(run.size() - 1, f);
            } else {
                String a = data.function(previous).name();
                String b = data.function(f).name();
                throw new IllegalArgumentException("step " + i + " > " + (i + 1) + " of the chain, '" + a + "' > '"
                        + b + "': " + b + " is not a direct callee of " + a + ", nor a tail call from it or from one"
                        + " of its callees, and " + a + " has no indirect call site");
            }
            previous = f;
        }
        int[] path = run.stream().mapToInt(Integer::intValue).toArray();
        MethodHandle[] handles = new MethodHandle[path.length];
        List<Function> functions = new ArrayList<>();
        long frames = 0;
        for (int i = 0; i < path.length; i++) {
            functions.add(data.function(path[i]));
            frames += data.function(path[i]).full();
            if (i == 0 || steps.get(i) == Step.INDIRECT) {
                handles[i] = handle(path[i]);
            }
        }
        return new Chain(this, List.copyOf(functions), List.copyOf(steps), frames, path, handles);
    }

    /** Whether {@code a} reaches {@code b} by tail calls alone. */
    private boolean tailCalls(int a, int b) {
        KernelData data = layout.data();
        List<Integer> todo = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        todo.add(a);
        while (!todo.isEmpty()) {
            int f = todo.remove(todo.size() - 1);
            for (int t : data.function(f).tailCalls()) {
                if (t == b) {
                    return true;
                }
                if (seen.add(t)) {
                    todo.add(t);
                }
            }
        }
        return false;
    }

    /**
     * The row a name stands for: the exact name; else, after {@code caller}, the variant of that
     * base name the caller reaches (largest frame among several); else {@link KernelData#lookup}.
     */
    private int resolve(String name, int caller) {
        Integer exact = index.get(name);
        if (exact != null) {
            return exact;
        }
        KernelData data = layout.data();
        String base = KernelData.baseName(name);
        if (caller >= 0) {
            int best = -1;
            for (int f : layout.cases(caller)) {
                if (KernelData.baseName(data.function(f).name()).equals(base)
                        && (best < 0 || data.function(f).full() > data.function(best).full())) {
                    best = f;
                }
            }
            if (best >= 0) {
                return best;
            }
        }
        Function found = data.lookup(name, index);
        return found == null ? -1 : index.get(found.name());
    }

    private MethodHandle handle(int f) {
        return handles.computeIfAbsent(f, g -> {
            try {
                Class<?> owner = Class.forName(layout.owner(g).replace('/', '.'), true, loader);
                return MethodHandles.publicLookup().findStatic(owner, layout.method(g), TYPE);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the imported classes on the class path do not hold "
                        + layout.data().function(g).name() + " as " + layout.owner(g) + "." + layout.method(g)
                        + ": import this kernel's data again (" + e + ")", e);
            }
        });
    }

    private void invoke(Chain chain, Runnable leaf) {
        try {
            Object[] hooks = new Object[chain.path().length];
            System.arraycopy(chain.handles(), 1, hooks, 1, hooks.length - 1);
            hooks[0] = leaf;
            chain.handles()[0].invokeExact(chain.path(), 1, hooks);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}

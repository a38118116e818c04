package io.dynstack.agent.analyze;

import io.dynstack.agent.KernelScope;
import io.dynstack.agent.weave.WeaveConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One run of the static analysis over a set of class files: the checkstack listing, the call
 * graph with its recursion, the unchecked-chain bound ({@link ChainBound}) and, given a margin,
 * the extra checks that bring the bound within it ({@link CheckPlacement}).
 */
public final class Analysis {

    /**
     * @param kernel    which classes are kernel code, as the weaver decides it
     * @param threshold frame size at which the weaver checks; {@link WeaveConfig#NO_CHECKS} for none
     * @param margin    the bound to place checks for, or -1 for no placement
     * @param basis     what the threshold is compared with: the whole frame or its locals
     */
    public record Options(KernelScope kernel, int threshold, long margin, WeaveConfig.Basis basis) {

        /** Kernel classes by {@code kernel=} globs and {@code @KernelCode}, none excluded. */
        public Options(List<String> kernelGlobs, int threshold, long margin, WeaveConfig.Basis basis) {
            this(new KernelScope(kernelGlobs, List.of()), threshold, margin, basis);
        }

        /** With the threshold compared with the whole frame, the default. */
        public Options(List<String> kernelGlobs, int threshold, long margin) {
            this(kernelGlobs, threshold, margin, WeaveConfig.Basis.FRAME);
        }
    }

    /** A class file that could not be read, left out of the analysis. */
    public record Skipped(String origin, String reason) {
    }

    private final Options options;
    private final int classesRead;
    private final List<ClassInfo> kernelClasses;
    private final List<Skipped> skipped;
    private final CallGraph graph;
    private final boolean[] byThreshold;
    private final ChainBound bound;
    private final CheckPlacement.Result placement;

    private Analysis(Options options, int classesRead, List<ClassInfo> kernelClasses, List<Skipped> skipped,
                     CallGraph graph) {
        this.options = options;
        this.classesRead = classesRead;
        this.kernelClasses = kernelClasses;
        this.skipped = skipped;
        this.graph = graph;
        WeaveConfig weave = new WeaveConfig(options.threshold()).withBasis(options.basis());
        this.byThreshold = new boolean[graph.size()];
        for (int v = 0; v < graph.size(); v++) {
            byThreshold[v] = weave.checks(graph.frameSize(v), graph.locals(v));
        }
        this.bound = ChainBound.of(graph, byThreshold);
        this.placement = options.margin() < 0 ? null : CheckPlacement.place(graph, byThreshold, options.margin());
    }

    /**
     * The same classes and call graph at another threshold, basis and margin: for sweeps, which
     * would otherwise read and link the same input once per point.
     */
    public Analysis at(int threshold, WeaveConfig.Basis basis, long margin) {
        return new Analysis(new Options(options.kernel(), threshold, margin, basis), classesRead, kernelClasses,
                skipped, graph);
    }

    /** Analyses {@code files}; a class file that cannot be parsed is skipped with its reason. */
    public static Analysis run(List<ClassInput.ClassFile> files, Options options) {
        Predicate<ClassInfo> kernel = c -> options.kernel().contains(c.className(), c.kernelCode());
        List<Object> scanned = files.parallelStream().map(f -> {
            try {
                return (Object) ClassScanner.scan(f.bytes(), f.origin());
            } catch (RuntimeException e) {
                return new Skipped(f.origin(), "not a valid class file (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
        }).toList();
        List<ClassInfo> classes = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Object o : scanned) {
            if (o instanceof ClassInfo c) {
                classes.add(c);
            } else {
                skipped.add((Skipped) o);
            }
        }
        List<ClassInfo> kernelClasses = classes.stream().filter(kernel)
                .sorted(Comparator.comparing(ClassInfo::name)).toList();
        return new Analysis(options, classes.size(), kernelClasses, skipped, CallGraph.build(classes, kernel));
    }

    public Options options() {
        return options;
    }

    public int classesRead() {
        return classesRead;
    }

    public List<ClassInfo> kernelClasses() {
        return kernelClasses;
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    public CallGraph graph() {
        return graph;
    }

    /** Whether the threshold alone checks method {@code v}. */
    public boolean checkedByThreshold(int v) {
        return byThreshold[v];
    }

    /** The bound with the threshold's checks only. */
    public ChainBound bound() {
        return bound;
    }

    /** The placement for {@link Options#margin()}, or null when no margin was given. */
    public CheckPlacement.Result placement() {
        return placement;
    }

    /** Method nodes by frame size, largest first, then by name: the checkstack order. */
    public List<Integer> byFrameSize() {
        String[] keys = new String[graph.size()];
        List<Integer> out = new ArrayList<>();
        for (int v = 0; v < graph.size(); v++) {
            keys[v] = graph.method(v).key().toString();
            out.add(v);
        }
        out.sort(Comparator.comparingInt((Integer v) -> -graph.frameSize(v)).thenComparing(v -> keys[v]));
        return out;
    }

    public int calls() {
        int calls = 0;
        for (int v = 0; v < graph.size(); v++) {
            calls += graph.callees(v).length;
        }
        return calls;
    }
}

package io.dynstack.agent.analyze;

import io.dynstack.agent.KernelScope;
import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.MethodKey;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's {@code guarantee=M}: checks placed so that, with a runtime margin of at least M, no
 * woven frame can fault short of THREAD_SIZE.
 *
 * <p>Classes load lazily, but the placement needs the whole call graph, so the agent analyses at
 * start-up the kernel classes it can find on {@code java.class.path} (and non-kernel classes there,
 * whose calls into the kernel make entries). Every entry gets a check, so a chain starts at a check
 * wherever code the analysis cannot see calls into the kernel: from user code at depth 0, from a
 * callback through the JDK, from a lambda's generated class, from a static initialiser. Kernel
 * classes that were not on the class path at start-up (defined at run time, loaded from elsewhere)
 * have no bound, so every method in them is checked.
 */
public final class Guarantee {

    /**
     * The placement and what it covered.
     *
     * @param sites    the extra checks, and the classes analysed
     * @param problems class-path entries or class files that could not be read (their kernel classes,
     *                 if any, are then checked in every method when they load)
     * @param missing  class-path entries that do not exist: the JVM ignores them, and so does the analysis
     */
    public record Plan(CheckSites sites, Analysis analysis, List<String> problems, List<String> missing) {
    }

    private Guarantee() {
    }

    public static Plan plan(String classPath, List<String> kernelGlobs, int threshold, int margin) {
        return plan(classPath, kernelGlobs, threshold, WeaveConfig.Basis.FRAME, margin);
    }

    public static Plan plan(String classPath, List<String> kernelGlobs, int threshold, WeaveConfig.Basis basis,
                            int margin) {
        return plan(classPath, new KernelScope(kernelGlobs, List.of()), threshold, basis, margin);
    }

    /** As the weaver will check: the classes of {@code kernel}, {@code threshold} compared with {@code basis}. */
    public static Plan plan(String classPath, KernelScope kernel, int threshold, WeaveConfig.Basis basis,
                            int margin) {
        List<String> problems = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                (Files.exists(Path.of(entry)) ? existing : missing).add(entry);
            }
        }
        List<ClassInput.ClassFile> files = ClassInput.read(String.join(File.pathSeparator, existing), problems::add);
        Analysis analysis = Analysis.run(files, new Analysis.Options(kernel, threshold, margin, basis));
        for (Analysis.Skipped s : analysis.skipped()) {
            problems.add(s.origin() + ": " + s.reason());
        }
        CallGraph g = analysis.graph();
        Set<MethodKey> forced = new HashSet<>();
        for (int v : analysis.placement().all()) {
            forced.add(g.method(v).key());
        }
        Set<String> analysed = new HashSet<>();
        for (ClassInfo c : analysis.kernelClasses()) {
            analysed.add(c.className());
        }
        return new Plan(new CheckSites(forced, analysed, margin), analysis, problems, missing);
    }
}

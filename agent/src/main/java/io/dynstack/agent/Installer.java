package io.dynstack.agent;

import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.StackDesign;
import io.dynstack.runtime.WovenMethods;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Turns parsed options into a running simulation: configures the runtime, then installs the
 * transformer that weaves kernel classes as they load.
 */
public final class Installer {

    private Installer() {
    }

    /** The stack shape the options describe; a bad combination is one line naming the options. */
    public static StackConfig stackConfig(AgentOptions options) {
        int page = options.get(AgentOptions.PAGE);
        int threadSize = options.get(AgentOptions.THREAD_SIZE);
        int initial = options.has(AgentOptions.INITIAL) ? options.get(AgentOptions.INITIAL) : Math.min(page, threadSize);
        int margin = options.get(AgentOptions.MARGIN);
        // The guarantee becomes the margin: named here, before StackConfig would blame margin for it.
        if (options.has(AgentOptions.GUARANTEE) && options.get(AgentOptions.GUARANTEE) >= threadSize
                && threadSize >= page) {
            throw options.bad(AgentOptions.GUARANTEE, "it must be less than thread_size (" + threadSize
                    + "), since it becomes the margin of every check");
        }
        return new StackConfig(threadSize, page, initial, margin, FaultPolicy.parse(options.fault()), options.cpus(),
                options.reservePages(), options.get(AgentOptions.RELEASE_AT_PARK),
                options.get(AgentOptions.IRQ_STACKS), design(options));
    }

    /** The 2026 thread's designs the options ask for. */
    static StackDesign design(AgentOptions options) {
        return new StackDesign(StackDesign.Idle.valueOf(options.idle().toUpperCase(Locale.ROOT)),
                StackDesign.Reclaim.valueOf(options.reclaim().toUpperCase(Locale.ROOT)), options.spares(),
                options.stash(), options.freePages());
    }

    public static WeaveConfig weaveConfig(AgentOptions options) {
        return new WeaveConfig(options.threshold(), options.get(AgentOptions.EXPAND), options.thresholdBasis(),
                options.get(AgentOptions.METHODS));
    }

    /**
     * Never woven, whatever {@code kernel=} says: the simulation itself, the libraries it runs on
     * and the JDK. Byte Buddy's and ASM's names are joined at run time: the shade plugin rewrites
     * every string constant that starts with a relocated package, and these must keep naming the
     * host's own copies, not the agent's shaded ones (which {@code io.dynstack.agent.} covers).
     */
    static final List<String> NEVER_WOVEN = List.of("io.dynstack.runtime.", "io.dynstack.agent.",
            "io.dynstack.annotation.", String.join(".", "net", "bytebuddy", ""),
            String.join(".", "org", "objectweb", "asm", ""), "java.", "javax.", "jdk.", "sun.", "com.sun.");

    /** Configures the runtime and starts weaving; returns the transformer so that tests can remove it. */
    public static ClassFileTransformer install(AgentOptions options, Instrumentation inst) {
        return install(options, inst, ClassFileLocator.NoOp.INSTANCE);
    }

    /**
     * As {@link #install(AgentOptions, Instrumentation)}, with {@code runtime} reading the class files
     * of the runtime jar the agent appended to the bootstrap search path. The JDK finds classes there
     * but no resources, so without it Byte Buddy could not read {@code @KernelCode}'s class file and
     * would drop the annotation from every class it describes: marked classes would not be woven.
     */
    public static ClassFileTransformer install(AgentOptions options, Instrumentation inst,
                                                         ClassFileLocator runtime) {
        Log.configure(options.verbosity(), options.logTarget());
        StackConfig stacks = GuaranteeOption.stackConfig(options, stackConfig(options));
        WeaveConfig weave = weaveConfig(options);
        CheckSites sites = GuaranteeOption.checkSites(options);
        Kernel.configure(stacks);
        Report.describe(options.given(), resolved(options, weave));
        warnNeverWoven(options.kernelGlobs());
        // Declared methods only: the weave reads each method's own code, so resolving the class
        // hierarchy's method graph (most of Byte Buddy's time per class by default) buys nothing.
        KernelTransformer transformer = new KernelTransformer(new ByteBuddy().with(TypeValidation.DISABLED)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE), kernel(KernelScope.of(options)),
                NEVER_WOVEN, runtime, weave, sites);
        inst.addTransformer(transformer);
        return transformer;
    }

    /** The settings the report's config shows as resolved: what was given, or the default it stands for. */
    static Map<String, Object> resolved(AgentOptions options, WeaveConfig weave) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("kernel", options.kernelGlobs());
        resolved.put("excludes", options.excludeGlobs());
        resolved.put("threshold", options.threshold() == Integer.MAX_VALUE ? null : options.threshold());
        resolved.put("threshold_basis", options.thresholdBasis().name().toLowerCase(Locale.ROOT));
        resolved.put("expand", weave.expand());
        resolved.put("methods", weave.methods());
        resolved.put("guarantee", options.get(AgentOptions.GUARANTEE));
        resolved.put("report", options.report());
        resolved.put("verbose", options.verbosity().name().toLowerCase(Locale.ROOT));
        resolved.put("log", options.logTarget().name().toLowerCase(Locale.ROOT));
        return resolved;
    }

    /**
     * The report at exit, the reaper, JFR and, with {@code jmx=true}, the MBean. Only the MBean
     * starts here: the reaper thread and JFR's periodic event wait for the first kernel stack, so
     * that premain starts no thread and touches no JDK subsystem the host may configure itself.
     */
    static void startReporting(AgentOptions options) {
        Path json = options.report() == null ? null : Path.of(options.report());
        Kernel.onPanic(options.onPanic() == AgentOptions.OnPanic.HALT, json);
        List<String> globs = options.kernelGlobs();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Report.atExit(json);
            warnUnmatched(globs);
        }, "dynstack-report"));
        Kernel.startWithFirstStack(Duration.ofSeconds(1));
        Observability.start(options.get(AgentOptions.JMX));
    }

    /** A kernel= glob that can only name classes that are never woven weaves nothing: said at start. */
    static void warnNeverWoven(List<String> globs) {
        for (String glob : globs) {
            if (KernelGlobs.within(glob, NEVER_WOVEN)) {
                Log.error("option 'kernel': glob '" + glob + "' names only classes that are never woven (the JDK,"
                        + " dynstack, Byte Buddy, ASM); it weaves nothing");
            }
        }
    }

    /** A kernel= glob that matched no class is most often a typo in the package: said once, at exit. */
    static void warnUnmatched(List<String> globs) {
        for (String glob : globs.stream().filter(g -> !KernelGlobs.within(g, NEVER_WOVEN)).toList()) {
            KernelGlobs one = new KernelGlobs(List.of(glob));
            if (KernelWeaving.matched().stream().noneMatch(one::matches)) {
                Log.error("warning: kernel glob '" + glob + "' matched no class, so nothing under it was woven; check"
                        + " the package name ('*' stays within a package, '**' crosses packages) and that its classes"
                        + " load after the agent starts");
            }
        }
    }

    /** The kernel classes, as Byte Buddy describes a class: {@code @KernelCode} is read only when no glob names it. */
    private static ElementMatcher<TypeDescription> kernel(KernelScope scope) {
        ElementMatcher<TypeDescription> marked = isAnnotatedWith(named(KernelScope.KERNEL_CODE));
        return type -> scope.contains(type.getName(), () -> marked.matches(type));
    }
}

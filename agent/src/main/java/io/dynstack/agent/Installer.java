package io.dynstack.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.WovenMethods;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Turns parsed options into a running simulation: configures the runtime, then installs the
 * transformer that weaves kernel classes as they load.
 */
public final class Installer {

    private Installer() {
    }

    /** The stack shape the options describe; a bad combination is one line naming the options. */
    public static StackConfig stackConfig(AgentOptions options) {
        StackConfig d = StackConfig.DEFAULT;
        int page = options.size(AgentOptions.PAGE, d.pageSize());
        int threadSize = options.size(AgentOptions.THREAD_SIZE, d.threadSize());
        int initial = options.size(AgentOptions.INITIAL, Math.min(page, threadSize));
        int margin = options.size(AgentOptions.MARGIN, d.margin());
        // The guarantee becomes the margin: named here, before StackConfig would blame margin for it.
        if (options.size(AgentOptions.GUARANTEE, 0) >= threadSize && threadSize >= page) {
            throw options.bad(AgentOptions.GUARANTEE, "it must be less than thread_size (" + threadSize
                    + "), since it becomes the margin of every check");
        }
        return new StackConfig(threadSize, page, initial, margin, FaultPolicy.parse(options.fault()), options.cpus(),
                options.reservePages(), options.flag(AgentOptions.RELEASE_AT_PARK, false),
                options.flag(AgentOptions.IRQ_STACKS, false));
    }

    public static WeaveConfig weaveConfig(AgentOptions options) {
        return new WeaveConfig(options.threshold(), options.flag(AgentOptions.EXPAND, true), options.thresholdBasis());
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
    public static ResettableClassFileTransformer install(AgentOptions options, Instrumentation inst) {
        return install(options, inst, ClassFileLocator.NoOp.INSTANCE);
    }

    /**
     * As {@link #install(AgentOptions, Instrumentation)}, with {@code runtime} reading the class files
     * of the runtime jar the agent appended to the bootstrap search path. The JDK finds classes there
     * but no resources, so without it Byte Buddy could not read {@code @KernelCode}'s class file and
     * would drop the annotation from every class it describes: marked classes would not be woven.
     */
    public static ResettableClassFileTransformer install(AgentOptions options, Instrumentation inst,
                                                         ClassFileLocator runtime) {
        return install(options, inst, runtime, new KernelMatcher(new KernelGlobs(options.kernelGlobs())));
    }

    static ResettableClassFileTransformer install(AgentOptions options, Instrumentation inst, ClassFileLocator runtime,
                                                  KernelMatcher kernel) {
        Log.configure(options.verbosity(), options.logTarget());
        StackConfig stacks = GuaranteeOption.stackConfig(options, stackConfig(options));
        WeaveConfig weave = weaveConfig(options);
        CheckSites sites = GuaranteeOption.checkSites(options);
        Kernel.configure(stacks);
        // Decorating needs no Nexus; without this Byte Buddy sets it up through sun.misc.Unsafe.
        if (System.getProperty(Nexus.PROPERTY) == null) {
            System.setProperty(Nexus.PROPERTY, "true");
        }
        kernel.warnNeverWoven();
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.LocationStrategy.ForClassLoader.STRONG.withFallbackTo(runtime))
                .with(new WeaveListener())
                .ignore(any(), isBootstrapClassLoader())
                .or(ignored())
                .type(kernel.or(isAnnotatedWith(named("io.dynstack.annotation.KernelCode"))))
                .transform((builder, type, loader, module, domain) -> builder.visit(new KernelWeaving(weave, sites)))
                .installOn(inst);
    }

    /**
     * The report at exit, the reaper, JFR and, with {@code jmx=true}, the MBean. Only the MBean
     * starts here: the reaper thread and JFR's periodic event wait for the first kernel stack, so
     * that premain starts no thread and touches no JDK subsystem the host may configure itself.
     */
    static void startReporting(AgentOptions options, KernelMatcher kernel) {
        Path json = options.report() == null ? null : Path.of(options.report());
        Kernel.onPanic(options.onPanic() == AgentOptions.OnPanic.HALT, json);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kernel.warnUnmatched();
            Report.atExit(json);
        }, "dynstack-report"));
        Kernel.startWithFirstStack(Duration.ofSeconds(1));
        Observability.start(options.flag(AgentOptions.JMX, false));
    }

    private static ElementMatcher.Junction<TypeDescription> ignored() {
        ElementMatcher.Junction<TypeDescription> ignored = nameStartsWith(NEVER_WOVEN.get(0));
        for (String prefix : NEVER_WOVEN.subList(1, NEVER_WOVEN.size())) {
            ignored = ignored.or(nameStartsWith(prefix));
        }
        return ignored;
    }

    /** Matches classes by the {@code kernel=} globs and remembers which globs matched, to name those that never did. */
    static final class KernelMatcher extends ElementMatcher.Junction.AbstractBase<TypeDescription> {

        private final KernelGlobs globs;
        private final AtomicIntegerArray matched;
        private final boolean[] neverWoven;

        KernelMatcher(KernelGlobs globs) {
            this.globs = globs;
            this.matched = new AtomicIntegerArray(globs.globs().size());
            this.neverWoven = new boolean[globs.globs().size()];
            for (int i = 0; i < neverWoven.length; i++) {
                neverWoven[i] = KernelGlobs.within(globs.globs().get(i), NEVER_WOVEN);
            }
        }

        @Override
        public boolean matches(TypeDescription type) {
            int glob = globs.firstMatch(type.getName());
            if (glob < 0) {
                return false;
            }
            if (matched.get(glob) == 0) {
                matched.set(glob, 1);
            }
            return true;
        }

        void warnNeverWoven() {
            for (int i = 0; i < neverWoven.length; i++) {
                if (neverWoven[i]) {
                    Log.error("option 'kernel': glob '" + globs.globs().get(i) + "' names only classes that are never"
                            + " woven (the JDK, dynstack, Byte Buddy, ASM); it weaves nothing");
                }
            }
        }

        /** At exit: each glob that matched no class, unless it was named at start as never woven. */
        void warnUnmatched() {
            for (int i = 0; i < neverWoven.length; i++) {
                if (!neverWoven[i] && matched.get(i) == 0) {
                    Log.error("option 'kernel': glob '" + globs.globs().get(i) + "' matched no class loaded in this run;"
                            + " check its spelling");
                }
            }
        }
    }

    private static final class WeaveListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            KernelWeaving.completed(type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            KernelWeaving.failed();
            String reason = throwable.getClass().getSimpleName()
                    + (throwable.getMessage() == null ? "" : ": " + throwable.getMessage().lines().findFirst().orElse(""));
            WovenMethods.skipped(typeName, reason);
            Log.error("cannot weave " + typeName + ", left unchanged (" + reason + ")");
        }
    }
}

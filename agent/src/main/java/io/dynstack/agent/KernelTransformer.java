package io.dynstack.agent;

import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.WovenMethods;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's class file transformer: Byte Buddy describes each class from its bytes and writes
 * the woven class ({@link ByteBuddy#decorate}), with the ASM weaver as its visitor. It stands in
 * for Byte Buddy's {@code AgentBuilder}, whose transformer Byte Buddy generates at run time (a
 * subclass for the JDK's module-aware {@code transform}): on a hello world that generation was
 * most of the agent's start-up (BENCHMARKS.md, "Side by side"). What the agent used of the
 * builder is here: classes of the bootstrap loader and the never-woven packages are passed over
 * by name before anything is read, a class is described lazily (a glob match reads nothing but
 * its name), class files are located through the class loader with the runtime jar as fallback,
 * and a class that cannot be woven is one line and loads unchanged.
 */
final class KernelTransformer implements ClassFileTransformer {

    private final ByteBuddy byteBuddy;
    private final ElementMatcher<TypeDescription> kernel;
    private final List<String> neverWoven;
    private final ClassFileLocator runtime;
    private final WeaveConfig weave;
    private final CheckSites sites;

    KernelTransformer(ByteBuddy byteBuddy, ElementMatcher<TypeDescription> kernel, List<String> neverWoven,
                      ClassFileLocator runtime, WeaveConfig weave, CheckSites sites) {
        this.byteBuddy = byteBuddy;
        this.kernel = kernel;
        this.neverWoven = neverWoven;
        this.runtime = runtime;
        this.weave = weave;
        this.sites = sites;
    }

    /**
     * A class being loaded or redefined (a redefinition brings new bytes, woven as a load's are);
     * never a retransformation, since the transformer is added as not retransforming.
     */
    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        if (loader == null || internalName == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        for (String prefix : neverWoven) {
            if (name.startsWith(prefix)) {
                return null;
            }
        }
        try {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                    ClassFileLocator.ForClassLoader.of(loader), runtime);
            TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
            TypeDescription type = pool.describe(name).resolve();
            if (!kernel.matches(type)) {
                return null;
            }
            KernelWeaving weaving = new KernelWeaving(weave, sites);
            byte[] woven = byteBuddy.decorate(type, locator).visit(weaving).make(pool).getBytes();
            weaving.completed(name);
            return woven;
        } catch (Throwable t) {
            KernelWeaving.failed(name);
            String reason = t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse(""));
            WovenMethods.skipped(name, reason);
            Log.error("cannot weave " + name + ", left unchanged (" + reason + ")");
            return null;
        }
    }
}

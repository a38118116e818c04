package io.dynstack.agent;

import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.KernelClassVisitor;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.WovenMethods;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;

/**
 * Plugs the ASM weaver into Byte Buddy's writing of one class. The methods woven in it are held
 * until the class has been written, then registered; a class that fails is never counted.
 */
final class KernelWeaving implements AsmVisitorWrapper {

    /** Names of the classes the kernel matcher took, woven or not, for the warning about globs that matched none. */
    private static final Set<String> MATCHED = ConcurrentHashMap.newKeySet();

    private final WeaveConfig config;
    private final CheckSites sites;
    /** The weaver of this class, once Byte Buddy has asked for it. */
    private KernelClassVisitor visitor;

    KernelWeaving(WeaveConfig config, CheckSites sites) {
        this.config = config;
        this.sites = sites;
    }

    @Override
    public int mergeWriter(int flags) {
        return flags;
    }

    @Override
    public int mergeReader(int flags) {
        return flags | ClassReader.EXPAND_FRAMES;
    }

    @Override
    public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                             Implementation.Context implementationContext, TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods,
                             int writerFlags, int readerFlags) {
        visitor = new KernelClassVisitor(classVisitor, config, sites);
        return visitor;
    }

    /** The class has been written: its methods count from now on. */
    void completed(String className) {
        MATCHED.add(className);
        if (visitor == null) {
            return;
        }
        List<WovenMethods.Method> woven = visitor.woven();
        WovenMethods.register(woven);
        if (Log.info()) {
            Log.info("wove " + className + ": " + woven.size() + " methods, "
                    + woven.stream().filter(WovenMethods.Method::checked).count() + " checks");
        }
        if (Log.debug()) {
            for (WovenMethods.Method m : woven) {
                Log.debug("  " + m.display() + " frame " + m.frameSize() + (m.checked() ? " checked" : "")
                        + (m.expandBytes() > 0 ? " expand_stack " + m.expandBytes() : ""));
            }
        }
    }

    static void failed(String className) {
        MATCHED.add(className);
    }

    static Set<String> matched() {
        return MATCHED;
    }
}

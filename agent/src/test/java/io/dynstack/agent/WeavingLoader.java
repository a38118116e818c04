package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.WovenMethods;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Loads the classes of one package woven with {@link ClassWeaver}, child first, so each test gets
 * its own copy under its own threshold. Every woven class goes through ASM's verifier and then
 * the JVM's own (classes of a non-boot loader are verified when defined).
 */
public final class WeavingLoader extends ClassLoader {

    private final String packagePrefix;
    private final ClassWeaver weaver;

    public WeavingLoader(String packagePrefix, WeaveConfig config) {
        this(packagePrefix, config, CheckSites.NONE);
    }

    /** With {@code sites} checked beside the threshold's, as {@code guarantee=} weaves. */
    public WeavingLoader(String packagePrefix, WeaveConfig config, CheckSites sites) {
        super(WeavingLoader.class.getClassLoader());
        this.packagePrefix = packagePrefix;
        this.weaver = new ClassWeaver(config, sites);
    }

    public static WeavingLoader kernel(int threshold) {
        return new WeavingLoader("io.dynstack.agent.kernel.", new WeaveConfig(threshold));
    }

    public static byte[] classFile(String className) {
        try (InputStream in = WeavingLoader.class.getClassLoader()
                .getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no class file for " + className, e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(packagePrefix)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                ClassWeaver.Woven woven = weaver.weave(classFile(name));
                verify(name, woven.bytes());
                WovenMethods.register(woven.methods());
                loaded = defineClass(name, woven.bytes(), 0, woven.bytes().length);
            }
            return loaded;
        }
    }

    private void verify(String name, byte[] bytes) {
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), this.getParent(), false, new PrintWriter(problems));
        assertEquals("", problems.toString(), "ASM's verifier on woven " + name);
    }

    /** Calls a static method of a woven class, rethrowing what it throws. */
    public Object call(String className, String method, Object... args) throws Throwable {
        Class<?> c = loadClass(packagePrefix + className);
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                m.setAccessible(true);
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(className + "." + method);
    }
}

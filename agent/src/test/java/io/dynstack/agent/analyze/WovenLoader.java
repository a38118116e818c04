package io.dynstack.agent.analyze;

import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.WovenMethods;
import java.io.IOException;
import java.io.InputStream;

/**
 * Loads the classes of one package woven, child first, as the agent would; everything else,
 * the runtime included, comes from the parent.
 */
final class WovenLoader extends ClassLoader {

    private final String prefix;
    private final ClassWeaver weaver;

    WovenLoader(String packageName, WeaveConfig config, CheckSites sites) {
        super(WovenLoader.class.getClassLoader());
        this.prefix = packageName + ".";
        this.weaver = new ClassWeaver(config, sites);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(prefix)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    ClassWeaver.Woven woven = weaver.weave(in.readAllBytes());
                    WovenMethods.register(woven.methods());
                    c = defineClass(name, woven.bytes(), 0, woven.bytes().length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}

package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every method the agent has woven, with its frame size: an oops names frames from here, and the
 * report counts from here. Keyed by class, method name and descriptor as the JVM spells them.
 */
public final class WovenMethods {

    /** One woven method: its simulated frame size, whether it got a check, its expand_stack bytes. */
    public record Method(String className, String name, String descriptor, int frameSize, boolean checked,
                         int expandBytes) {
        public String key() {
            return WovenMethods.key(className, name, descriptor);
        }

        /** {@code com.acme.Vfs.read(I)J}: a method named for a reader. */
        public String display() {
            return className + "." + name + descriptor;
        }
    }

    /** A class the agent could not weave, left as it was. */
    public record Skipped(String className, String reason) {
    }

    private static final ConcurrentHashMap<String, Method> METHODS = new ConcurrentHashMap<>();
    private static final LongAdder CLASSES = new LongAdder();
    private static final LongAdder WOVEN = new LongAdder();
    private static final LongAdder CHECKS = new LongAdder();
    private static final List<Skipped> SKIPPED = Collections.synchronizedList(new ArrayList<>());

    private WovenMethods() {
    }

    static String key(String className, String name, String descriptor) {
        return className + '.' + name + descriptor;
    }

    /** Records the methods of one class once its woven bytes exist. */
    public static void register(List<Method> methods) {
        CLASSES.increment();
        for (Method m : methods) {
            METHODS.put(m.key(), m);
            WOVEN.increment();
            if (m.checked()) {
                CHECKS.increment();
            }
        }
    }

    public static void skipped(String className, String reason) {
        SKIPPED.add(new Skipped(className, reason));
    }

    public static Method find(String className, String name, String descriptor) {
        return METHODS.get(key(className, name, descriptor));
    }

    public static long classesWoven() {
        return CLASSES.sum();
    }

    public static long methodsWoven() {
        return WOVEN.sum();
    }

    public static long checksInserted() {
        return CHECKS.sum();
    }

    public static List<Skipped> skipped() {
        synchronized (SKIPPED) {
            return List.copyOf(SKIPPED);
        }
    }
}

package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every method the agent has woven, with its frame size: an oops names frames from here, and the
 * report counts from here. Keyed by class, method name and descriptor as the JVM spells them, and
 * by the id the weaver bakes into the method's entry, which indexes the per-method counters.
 */
public final class WovenMethods {

    /**
     * One woven method: its id (from {@link #nextId()}), its simulated frame size, whether it got a
     * check, its expand_stack bytes.
     */
    public record Method(int id, String className, String name, String descriptor, int frameSize, boolean checked,
                         int expandBytes) {
        public MethodKey key() {
            return new MethodKey(className, name, descriptor);
        }

        /** {@code com.acme.Vfs.read(I)J}: a method named for a reader. */
        public String display() {
            return key().toString();
        }
    }

    /** A class the agent could not weave, left as it was. */
    public record Skipped(String className, String reason) {
    }

    /** The id of entries made by code that calls the runtime directly, not through a woven method. */
    public static final int UNNAMED = 0;

    private static final ConcurrentHashMap<MethodKey, Method> METHODS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, Method> BY_ID = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger(UNNAMED);
    private static final LongAdder CLASSES = new LongAdder();
    private static final LongAdder WOVEN = new LongAdder();
    private static final LongAdder CHECKS = new LongAdder();
    private static final List<Skipped> SKIPPED = Collections.synchronizedList(new ArrayList<>());

    private WovenMethods() {
    }

    /** A fresh id for a method being woven; ids of classes that fail to weave are never registered. */
    public static int nextId() {
        return IDS.incrementAndGet();
    }

    /** Records the methods of one class once its woven bytes exist. */
    public static void register(List<Method> methods) {
        CLASSES.increment();
        for (Method m : methods) {
            METHODS.put(m.key(), m);
            BY_ID.put(m.id(), m);
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
        return METHODS.get(new MethodKey(className, name, descriptor));
    }

    /** The method woven with {@code id}, or null for {@link #UNNAMED} and ids never registered. */
    public static Method byId(int id) {
        return BY_ID.get(id);
    }

    /** Every registered method, by id. */
    public static List<Method> all() {
        List<Method> all = new ArrayList<>(BY_ID.values());
        all.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return all;
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

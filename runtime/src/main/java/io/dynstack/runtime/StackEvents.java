package io.dynstack.runtime;

import io.dynstack.runtime.jfr.JfrEvents;

/**
 * Where the slow paths report to JDK Flight Recorder. JFR is optional: a JVM without the jdk.jfr
 * module (a jlinked image, {@code --limit-modules}) or run with {@code -Ddynstack.jfr=false} never
 * loads a class of {@code io.dynstack.runtime.jfr}; the guard is a constant the JIT folds away.
 * The hot path never calls here: only growth, faults, panics, expand_stack and release at park do.
 */
public final class StackEvents {

    /** Whether events can be recorded in this JVM. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("dynstack.jfr"));

    static final String CHECK = "check";
    static final String FAULT = "fault";
    static final String EXPAND_STACK = "expand_stack";

    private StackEvents() {
    }

    /** Adds the periodic totals event to recordings; the agent calls this at start-up. */
    public static void register() {
        if (AVAILABLE) {
            JfrEvents.registerPeriodic();
        }
    }

    static void grow(KernelStack stack, String cause, int sp, int bytes, int frame) {
        if (AVAILABLE) {
            JfrEvents.grow(stack, cause, sp, bytes, frame);
        }
    }

    static void fault(KernelStack stack, int sp, int bytes, int frame) {
        if (AVAILABLE) {
            JfrEvents.fault(stack, sp, bytes, frame);
        }
    }

    static void expand(KernelStack stack, int requested, int bytes) {
        if (AVAILABLE) {
            JfrEvents.expand(stack, requested, bytes);
        }
    }

    static void release(KernelStack stack, int bytes) {
        if (AVAILABLE) {
            JfrEvents.release(stack, bytes);
        }
    }

    static void panic(KernelStack stack, Oops oops) {
        if (AVAILABLE) {
            JfrEvents.panic(stack, oops);
        }
    }
}

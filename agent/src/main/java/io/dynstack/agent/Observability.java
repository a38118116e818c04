package io.dynstack.agent;

import io.dynstack.runtime.StackEvents;
import io.dynstack.runtime.management.KernelManagement;

/**
 * Where the running simulation shows itself to JVM tools: the periodic JFR totals event and the
 * {@code io.dynstack:type=Kernel} MXBean. Both are optional in the JVM; neither stops the agent.
 * The MBean only with {@code jmx=true}: creating the platform MBean server initialises JMX and
 * java.util.logging, which a host may want to configure itself in main() (its LogManager).
 */
final class Observability {

    private Observability() {
    }

    /** JFR's periodic event is added with the first stack ({@code Kernel.startWithFirstStack}); the MBean only with {@code jmx}. */
    static void start(boolean jmx) {
        if (!StackEvents.AVAILABLE) {
            Log.debug("no jdk.jfr module (or -Ddynstack.jfr=false): no dynstack JFR events");
        }
        if (!jmx) {
            return;
        }
        try {
            if (!KernelManagement.register()) {
                Log.debug("no java.management module: the " + KernelManagement.OBJECT_NAME + " MBean is not registered");
            }
        } catch (IllegalStateException e) {
            Log.error(e.getMessage() + "; the simulation runs without its MBean");
        }
    }
}

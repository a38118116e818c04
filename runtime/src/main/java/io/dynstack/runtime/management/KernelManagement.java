package io.dynstack.runtime.management;

/**
 * Registers the {@code io.dynstack:type=Kernel} MXBean in the platform MBean server. JMX is
 * optional: without the java.management module this class does nothing and the class that
 * touches JMX is never loaded.
 */
public final class KernelManagement {

    public static final String OBJECT_NAME = "io.dynstack:type=Kernel";

    /** Whether this JVM has JMX at all. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("java.management").isPresent();

    private KernelManagement() {
    }

    /**
     * Registers the MXBean unless it is registered already; false when the JVM has no JMX.
     *
     * @throws IllegalStateException when the MBean server refuses it, with the reason
     */
    public static boolean register() {
        if (!AVAILABLE) {
            return false;
        }
        PlatformRegistration.register(OBJECT_NAME, new KernelView());
        return true;
    }
}

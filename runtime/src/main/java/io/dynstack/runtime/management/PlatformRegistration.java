package io.dynstack.runtime.management;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The only class that uses JMX types; loaded only when java.management is present. */
final class PlatformRegistration {

    private PlatformRegistration() {
    }

    static synchronized void register(String name, KernelMXBean bean) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName objectName = new ObjectName(name);
            if (!server.isRegistered(objectName)) {
                server.registerMBean(bean, objectName);
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot register MBean " + name + ": " + e.getMessage(), e);
        }
    }
}

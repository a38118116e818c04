package io.dynstack.runtime.management;

import java.lang.management.ManagementFactory;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/** The only class that uses JMX types; loaded only when java.management is present. */
final class PlatformRegistration {

    private PlatformRegistration() {
    }

    /** Registers {@code view} as an MXBean whose getAttributes reads one snapshot of the totals for all the attributes. */
    static synchronized void register(String name, KernelView view) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName objectName = new ObjectName(name);
            if (!server.isRegistered(objectName)) {
                server.registerMBean(new StandardMBean(view, KernelMXBean.class, true) {
                    @Override
                    public AttributeList getAttributes(String[] attributes) {
                        return view.oneSnapshot(() -> super.getAttributes(attributes));
                    }
                }, objectName);
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot register MBean " + name + ": " + e.getMessage(), e);
        }
    }
}

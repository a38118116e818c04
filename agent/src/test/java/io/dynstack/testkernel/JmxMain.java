package io.dynstack.testkernel;

import io.dynstack.testkernel.it.ItKernel;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A host program that looks at itself as a JMX client would: runs the kernel, then prints the
 * dynstack MBean's attributes and has it write the report to {@code args[1]}.
 */
public final class JmxMain {

    private JmxMain() {
    }

    public static void main(String[] args) throws Exception {
        ItKernel.read(Integer.parseInt(args[0]));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.dynstack:type=Kernel");
        for (String attribute : new String[] {"Stacks", "PeakMappedBytes", "ChecksExecuted", "Grows", "MethodsWoven",
                "ChecksInserted", "MaxDepthBytes"}) {
            System.out.println(attribute + "=" + server.getAttribute(name, attribute));
        }
        System.out.println("report=" + server.invoke(name, "writeReport", new Object[] {args[1]},
                new String[] {String.class.getName()}));
    }
}

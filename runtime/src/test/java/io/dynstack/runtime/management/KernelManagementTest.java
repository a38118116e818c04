package io.dynstack.runtime.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelPanic;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.Report;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.WovenMethods;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kernel MXBean as a JMX client sees it, through the platform MBean server. */
class KernelManagementTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private ObjectName name;

    @TempDir
    Path dir;

    @BeforeEach
    void register() throws Exception {
        name = new ObjectName(KernelManagement.OBJECT_NAME);
        assertTrue(KernelManagement.register());
    }

    @AfterEach
    void unregister() throws Exception {
        server.unregisterMBean(name);
        Kernel.configure(StackConfig.DEFAULT);
    }

    /** Two threads' worth of simulated work with a grow, a fault, a panic and an expand_stack. */
    private static void deterministicRun() throws InterruptedException {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW));
        Thread other = new Thread(() -> Kernel.run(() -> KernelStack.current().enterChecked(5000)));
        other.start();
        other.join();
        KernelStack ks = KernelStack.current();
        int saved = ks.enter(6000);
        ks.restore(saved);
        ks.expandStack(9000);
        assertThrows(KernelPanic.class, () -> ks.enterChecked(20_000));
    }

    @Test
    void attributesAreTheLiveTotals() throws Exception {
        deterministicRun();
        assertEquals(16384, server.getAttribute(name, "ThreadSize"));
        assertEquals(4096, server.getAttribute(name, "PageSize"));
        assertEquals("grow", server.getAttribute(name, "FaultPolicy"));
        assertEquals(1L, server.getAttribute(name, "Stacks"), "the other thread's stack was freed before ours");
        assertEquals(1L, server.getAttribute(name, "LiveStacks"));
        assertEquals(2L, server.getAttribute(name, "StacksCreated"));
        assertEquals(12288L, server.getAttribute(name, "MappedBytes"), "expand_stack(9000) from the top: 3 pages");
        assertEquals(12288L, server.getAttribute(name, "PeakMappedBytes"));
        assertEquals(16384L, server.getAttribute(name, "BaseBytes"));
        assertEquals(25.0, server.getAttribute(name, "SavingPercent"));
        assertEquals(2L, server.getAttribute(name, "ChecksExecuted"), "one in each thread; the panicking one counts");
        assertEquals(3L, server.getAttribute(name, "Grows"), "the check, the fault, the expand_stack");
        assertEquals(1L, server.getAttribute(name, "Faults"));
        assertEquals(1L, server.getAttribute(name, "Panics"));
        assertEquals(1L, server.getAttribute(name, "ExpandCalls"));
        assertEquals(6000, server.getAttribute(name, "MaxDepthBytes"));
        assertEquals(WovenMethods.methodsWoven(), server.getAttribute(name, "MethodsWoven"));
        assertEquals(WovenMethods.checksInserted(), server.getAttribute(name, "ChecksInserted"));
        assertEquals(WovenMethods.classesWoven(), server.getAttribute(name, "ClassesWoven"));
    }

    @Test
    void readingEveryAttributeAtOnceWalksTheStacksOnce() throws Exception {
        deterministicRun();
        AtomicInteger scans = new AtomicInteger();
        ObjectName counted = new ObjectName("io.dynstack.test:type=Kernel");
        PlatformRegistration.register(counted.toString(), new KernelView(() -> {
            scans.incrementAndGet();
            return Kernel.stats();
        }));
        try {
            String[] every = Arrays.stream(server.getMBeanInfo(counted).getAttributes())
                    .map(MBeanAttributeInfo::getName).toArray(String[]::new);
            assertEquals(19, every.length);
            AttributeList all = server.getAttributes(counted, every);
            assertEquals(1, scans.get(), "one snapshot for the 13 attributes that read the totals");
            assertEquals(19, all.size());
            for (Attribute a : all.asList()) {
                assertEquals(server.getAttribute(name, a.getName()), a.getValue(), a.getName());
            }
            assertEquals(1, scans.get(), "the other bean's reads are not counted");
            server.getAttributes(counted, new String[] {"ThreadSize", "PageSize", "FaultPolicy"});
            assertEquals(1, scans.get(), "the configuration needs no walk");
            server.getAttribute(counted, "Grows");
            server.getAttribute(counted, "Faults");
            assertEquals(3, scans.get(), "a read of one attribute takes the totals anew");
        } finally {
            server.unregisterMBean(counted);
        }
    }

    @Test
    void writeReportWritesTheJsonNowAndReturnsItsPath() throws Exception {
        deterministicRun();
        Path file = dir.resolve("sub/report.json");
        Object written = server.invoke(name, "writeReport", new Object[] {file.toString()},
                new String[] {String.class.getName()});
        assertEquals(file.toAbsolutePath().toString(), written);
        assertEquals(Report.json(Kernel.stats()) + "\n", Files.readString(file));
    }

    @Test
    void writeReportToAnUnwritablePathIsAClearError() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, () -> server.invoke(name, "writeReport",
                new Object[] {notADirectory.resolve("report.json").toString()}, new String[] {String.class.getName()}));
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(cause.getMessage().startsWith("cannot write report " + notADirectory.resolve("report.json")),
                cause.getMessage());
        assertTrue(cause.getMessage().endsWith("; check that the directory is writable"), cause.getMessage());
    }

    @Test
    void registeringTwiceKeepsOneBean() throws Exception {
        assertTrue(KernelManagement.register());
        assertEquals(1, server.queryNames(new ObjectName("io.dynstack:*"), null).size());
        assertFalse(server.queryNames(name, null).isEmpty());
    }
}

package io.dynstack.testkernel.host;

import io.dynstack.testkernel.it.ItKernel;
import java.util.logging.LogManager;

/**
 * A host that installs its own java.util.logging LogManager in main(), as application servers do:
 * that works only if nothing initialised java.util.logging before main() ran.
 */
public final class LogManagerMain {

    /** The host's own LogManager; the JDK instantiates it by name from the system class loader. */
    public static final class HostLogManager extends LogManager {
        public HostLogManager() {
        }
    }

    private LogManagerMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", HostLogManager.class.getName());
        System.out.println("read " + ItKernel.read(Integer.parseInt(args[0])));
        System.out.println("log manager " + LogManager.getLogManager().getClass().getName());
    }
}

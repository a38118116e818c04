package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * premain never ends the JVM: an Error where the agent starts (here the JVM running out of memory
 * as it extends the bootstrap search path) is one line on stderr, and premain returns. This test
 * leaves the agent marked as started in its JVM; no other test calls premain.
 */
class PremainFailureTest {

    @Test
    void anErrorInPremainIsOneLineAndPremainReturns() {
        Instrumentation failing = (Instrumentation) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    throw new OutOfMemoryError("Java heap space");
                });
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            DynstackAgent.premain("kernel=io.dynstack.testkernel.it.**", failing);
        } finally {
            System.setErr(stderr);
        }
        assertEquals("dynstack: the agent failed to start (java.lang.OutOfMemoryError: Java heap space); nothing is"
                + " instrumented, the program runs without dynstack\n", captured.toString());
    }
}

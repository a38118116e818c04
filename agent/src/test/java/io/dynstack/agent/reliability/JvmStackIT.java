package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a woven frame adds to the JVM's own stack, in the interpreter, where frame sizes do not
 * depend on what the JIT did: the two locals weaving adds, 16 bytes. A recursion runs until
 * StackOverflowError in an 8 MiB thread, woven and not; RELIABILITY.md has the C1 and C2 figures.
 */
class JvmStackIT {

    private static final long STACK = 8L << 20;

    private static int depth(String agentOptions) throws Exception {
        HostIsolationIT.Run run = agentOptions == null
                ? HostIsolationIT.plain(List.of("-Xint"), "io.dynstack.testkernel.host.DeepRecursionMain",
                        String.valueOf(STACK), "2")
                : HostIsolationIT.java(List.of("-Xint"), agentOptions, "io.dynstack.testkernel.host.DeepRecursionMain",
                        String.valueOf(STACK), "2");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().startsWith("depth "), run.stdout());
        return Integer.parseInt(run.stdout().substring("depth ".length()).trim());
    }

    @Test
    void aWovenFrameTakesSixteenMoreBytesOfJvmStackInTheInterpreter() throws Exception {
        double plain = (double) STACK / depth(null);
        double woven = (double) STACK / depth("kernel=io.dynstack.testkernel.deep.**,thread_size=2097148k,"
                + "initial=2097148k,threshold=none");
        double added = woven - plain;
        assertTrue(added > 15 && added < 18, String.format("%.1f bytes a frame unwoven, %.1f woven", plain, woven));
    }
}

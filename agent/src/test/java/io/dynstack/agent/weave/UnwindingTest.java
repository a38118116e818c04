package io.dynstack.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynstack.agent.Probe;
import io.dynstack.agent.WeavingLoader;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way out of a woven frame leaves sp exactly where the frame found it. */
class UnwindingTest {

    private static final String UNWINDING = "Unwinding";
    private final WeavingLoader kernel = WeavingLoader.kernel(100);

    @BeforeEach
    void fresh() {
        Kernel.configure(StackConfig.DEFAULT);
        Probe.recorded();
    }

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @Test
    void aHandlerSeesItsOwnFrameAfterAnExceptionFromFramesBelow() throws Throwable {
        assertEquals(-1, kernel.call(UNWINDING, "catchBelow", 5));
        assertEquals(List.of(256), Probe.recorded());
        assertEquals(256 + 6 * 128, Kernel.stats().depth().maxBytes());
        assertEquals(16384, KernelStack.current().sp());
    }

    @Test
    void anExceptionEscapingTheKernelRestoresTheTop() throws Throwable {
        assertThrows(IllegalStateException.class, () -> kernel.call(UNWINDING, "escape", 7));
        assertEquals(16384, KernelStack.current().sp());
    }

    @Test
    void finallyRethrowAndCatchInOneMethodEachSeeThatMethodsFrame() throws Throwable {
        assertEquals(96, kernel.call(UNWINDING, "finallyAndRethrow", 3));
        assertEquals(List.of(96, 96, 96), Probe.recorded());
        assertEquals(16384, KernelStack.current().sp());
    }

    @Test
    void theJvmsOwnStackOverflowErrorUnwindsExactly() throws Throwable {
        // A THREAD_SIZE far beyond what the JVM's own stack allows, so the JVM gives out first.
        int huge = 256 << 20;
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(huge).withInitial(huge));
        assertEquals(16, kernel.call(UNWINDING, "overflowJvm"));
        assertEquals(huge, KernelStack.current().sp());
    }

    @Test
    void constructorsAreWovenAndRestoreSpWhenTheyThrow() throws Throwable {
        assertEquals(16 + 160, kernel.call(UNWINDING, "constructs"));
        assertEquals(16, kernel.call(UNWINDING, "constructorThrows"));
        assertEquals(16384, KernelStack.current().sp());
    }
}

package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.agent.weave.WeaveException;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.StackConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.MethodTooLargeException;

/**
 * Random valid class files: each one weaves into a class both verifiers accept and that computes
 * exactly what the original computes (the same values, the same exceptions) with sp back at the
 * top after every call, or is left unchanged with a one-line reason.
 *
 * <p>CI runs a bounded, seeded batch. The long run is the same test with more classes:
 * {@code ./mvnw -pl agent -am test -Dtest=WeaverFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddynstack.fuzz.count=100000 -Ddynstack.fuzz.seed=1}; a failure prints the properties that
 * rebuild that one class ({@code dynstack.fuzz.seed}, {@code dynstack.fuzz.first},
 * {@code dynstack.fuzz.count=1}).
 */
class WeaverFuzzTest {

    private static final int COUNT = Integer.getInteger("dynstack.fuzz.count", 300);
    private static final long SEED = Long.getLong("dynstack.fuzz.seed", 20260406L);
    private static final int FIRST = Integer.getInteger("dynstack.fuzz.first", 0);
    private static final int THREAD_SIZE = 1 << 20;
    private static final int[] THRESHOLDS = {0, WeaveConfig.DEFAULT_THRESHOLD, WeaveConfig.NO_CHECKS};
    private static final Object[][] ARGUMENTS = {
        {0, 0L, 0.0}, {1, -1L, 0.5}, {2, 3L, -2.25}, {7, 123_456_789L, 1e9}, {-13, Long.MIN_VALUE, Double.NaN},
        {1_000_003, 42L, -0.0},
    };
    private static final int[] CONSTRUCTOR_ARGUMENTS = {0, 1, 2, -1, 5};

    private int woven;
    private int unchanged;

    @BeforeEach
    void roomyStacks() {
        // The fuzz checks unwinding and verification, not growth policy: stacks big enough never to panic.
        Kernel.configure(StackConfig.DEFAULT.withThreadSize(THREAD_SIZE).withFault(FaultPolicy.GROW));
    }

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    @Test
    void everyRandomClassWeavesIntoAnEquivalentVerifiableClassOrIsLeftUnchanged() throws Exception {
        for (int i = FIRST; i < FIRST + COUNT; i++) {
            long seed = SEED * 1_000_003L + i;
            try {
                check(i, new RandomClasses(seed).next("fuzz/Generated" + i), THRESHOLDS[i % THRESHOLDS.length]);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("class " + i + " of seed " + SEED + " (again alone: -Ddynstack.fuzz.seed=" + SEED
                        + " -Ddynstack.fuzz.first=" + i + " -Ddynstack.fuzz.count=1): " + e.getMessage(), e);
            }
        }
        System.out.println("weaver fuzz: seed " + SEED + ", classes " + FIRST + " to " + (FIRST + COUNT - 1) + ": "
                + woven + " woven, " + unchanged + " left unchanged");
        assertEquals(COUNT, woven + unchanged);
        if (COUNT >= 100) {
            assertTrue(woven > COUNT * 3 / 4, woven + " of " + COUNT + " woven");
            assertTrue(unchanged > 0, "some methods are generated too large to weave");
        }
    }

    private void check(int index, RandomClasses.Generated generated, int threshold) throws Exception {
        String name = generated.name().replace('/', '.');
        ClassLoader parent = getClass().getClassLoader();
        assertEquals("", ClassCheck.asm(generated.bytes(), parent), "the generator made an invalid class");
        Class<?> original = new ClassCheck.Isolated(parent).defineAndLink(name, generated.bytes());

        ClassWeaver.Woven result;
        try {
            result = new ClassWeaver(new WeaveConfig(threshold)).weave(generated.bytes());
        } catch (WeaveException | MethodTooLargeException | ClassTooLargeException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank() && !e.getMessage().contains("\n"),
                    "a one-line reason: " + e.getMessage());
            unchanged++;
            return;
        }
        assertEquals("", ClassCheck.asm(result.bytes(), parent), "ASM's verifier on the woven class");
        Class<?> wovenClass = new ClassCheck.Isolated(parent).defineAndLink(name, result.bytes());
        assertEquals(generated.methods().size() + 1, result.methods().size(), "every method with code is woven");
        woven++;

        for (Method m : original.getDeclaredMethods()) {
            Method twin = wovenClass.getDeclaredMethod(m.getName(), m.getParameterTypes());
            for (Object[] args : ARGUMENTS) {
                String expected = outcome(() -> m.invoke(null, args));
                String actual = outcome(() -> twin.invoke(null, args));
                assertEquals(expected, actual, m.getName() + " with " + List.of(args));
                assertEquals(THREAD_SIZE, KernelStack.current().sp(), "sp after " + m.getName() + List.of(args));
            }
        }
        for (int a : CONSTRUCTOR_ARGUMENTS) {
            String expected = outcome(() -> original.getField("f").get(original.getConstructor(int.class).newInstance(a)));
            String actual = outcome(() -> wovenClass.getField("f").get(wovenClass.getConstructor(int.class).newInstance(a)));
            assertEquals(expected, actual, "new " + name + "(" + a + ")");
            assertEquals(THREAD_SIZE, KernelStack.current().sp(), "sp after new " + name + "(" + a + ")");
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** The value, or the exception's type and message: what a caller can observe. */
    private static String outcome(Call call) {
        try {
            return "returned " + Objects.toString(call.run());
        } catch (InvocationTargetException e) {
            return "threw " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
        } catch (Exception e) {
            return "failed " + e;
        }
    }
}

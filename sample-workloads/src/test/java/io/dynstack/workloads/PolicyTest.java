package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.report.JsonText;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void eachBaseDesignIsItsAgentOptions() {
        assertEquals("thread_size=16k,initial=16k,threshold=none", Policy.parse("fixed-16k", 100).options());
        assertEquals("thread_size=4k,initial=4k,threshold=none,irq_stacks=true", Policy.parse("4k-irq", 100).options());
        assertEquals("threshold=none,fault=grow,expand=false", Policy.parse("dynamic-fault", 100).options());
        assertEquals("threshold=64,fault=panic,expand=false", Policy.parse("dynamic-check", 64).options());
        assertEquals("threshold=100,fault=panic", Policy.parse("dynamic-check+expand", 100).options());
    }

    @Test
    void eachDesignOfThe2026ThreadIsItsAgentOptions() {
        assertEquals("initial=16k,threshold=none,idle=release", Policy.parse("release-idle", 100).options());
        assertEquals("initial=16k,threshold=none,idle=multiplex", Policy.parse("multiplex", 100).options());
        assertEquals("initial=16k,threshold=none,reclaim=switch", Policy.parse("hansen-switch", 100).options());
        assertEquals("initial=16k,threshold=none,reclaim=shrinker", Policy.parse("hansen-shrinker", 100).options());
        assertEquals("initial=8k,threshold=none,fault=panic", Policy.parse("8k+expand", 100).options());
        assertEquals("threshold=none,fault=grow,expand=false,spares=3,stash=8", Policy.parse("rfc-spares", 100).options());
    }

    @Test
    void pressureBoundsTheFreePagesOfAnyButTheFixedDesigns() {
        assertEquals("initial=8k,threshold=none,fault=panic,free_pages=0", Policy.parse("8k+expand+pressure", 100)
                .options());
        assertEquals("threshold=none,fault=grow,expand=false,spares=3,stash=8,free_pages=40",
                Policy.parse("rfc-spares+pressure=40", 100).options());
        assertEquals("policy 'fixed-16k+pressure': +reserve, +park and +pressure apply to all but the fixed policies"
                + " (fixed-16k, fixed-8k, 4k-irq)", assertThrows(IllegalArgumentException.class,
                () -> Policy.parse("fixed-16k+pressure", 100)).getMessage());
        assertEquals("policy 'rfc-spares+reserve': rfc-spares feeds growth from its spares; +reserve does not combine"
                + " with it", assertThrows(IllegalArgumentException.class,
                () -> Policy.parse("rfc-spares+reserve", 100)).getMessage());
    }

    @Test
    void helpNamesEveryDesignWithWhatItIsAndWhoProposedIt() {
        String usage = Compare.usage();
        for (String name : Policy.BASES.keySet()) {
            assertTrue(usage.contains("\n    " + name + " "), name);
        }
        assertTrue(usage.contains("    hansen-switch          all 16 KiB mapped while running; never-touched pages"
                + " reclaimed at each switch out and mapped again at switch in, inside schedule() (Hansen, June 2026)"),
                usage);
    }

    @Test
    void modifiersApplyToDynamicDesigns() {
        assertEquals("threshold=100,fault=panic,reserve=1,release_at_park=true",
                Policy.parse("dynamic-check+expand+reserve+park", 100).options());
        assertEquals("threshold=none,fault=grow,expand=false,reserve=3",
                Policy.parse("dynamic-fault+reserve=3", 100).options());
    }

    @Test
    void badPoliciesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Policy.parse("fixed-32k", 100)).getMessage()
                .startsWith("unknown policy 'fixed-32k'; policies: fixed-16k, fixed-8k, 4k-irq,"));
        assertEquals("policy 'fixed-8k+park': +reserve, +park and +pressure apply to all but the fixed policies"
                + " (fixed-16k, fixed-8k, 4k-irq)",
                assertThrows(IllegalArgumentException.class, () -> Policy.parse("fixed-8k+park", 100)).getMessage());
        assertEquals("policy 'dynamic-fault+turbo': unknown modifier 'turbo'; modifiers: +reserve, +reserve=N, +park,"
                + " +pressure, +pressure=N",
                assertThrows(IllegalArgumentException.class, () -> Policy.parse("dynamic-fault+turbo", 100))
                        .getMessage());
    }

    @Test
    void cellLinesAreReadBack() {
        Map<String, Object> m = JsonText.parseObject("{\"workload\":\"x\",\"stacks\":3,\"panic\":\"a \\\"b\\\"\\nc\",\"n\":null,"
                + "\"ok\":true}");
        assertEquals("x", m.get("workload"));
        assertEquals(3L, m.get("stacks"));
        assertEquals("a \"b\"\nc", m.get("panic"));
        assertTrue(m.containsKey("n"));
        assertEquals(true, m.get("ok"));
    }

    @Test
    void badCompareArgumentsAreOneClearMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Compare.parse(new String[] {"--workloads", "idle"})).getMessage()
                .startsWith("unknown workload 'idle'; workloads: idle-boot, syscall-mix,"));
        assertEquals("--threshold takes a whole number of at least 0, not 'ten'",
                assertThrows(IllegalArgumentException.class, () -> Compare.parse(new String[] {"--threshold", "ten"}))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Compare.parse(new String[] {"--set", "idle-boot.cores=4"})).getMessage()
                .startsWith("bad parameter 'cores=4' for idle-boot; parameters:"));
    }
}

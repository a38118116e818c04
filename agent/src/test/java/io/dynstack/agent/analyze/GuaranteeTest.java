package io.dynstack.agent.analyze;

import static io.dynstack.agent.analyze.Fixtures.FIXTURE;
import static io.dynstack.agent.analyze.Fixtures.analyse;
import static io.dynstack.agent.analyze.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.WeavingLoader;
import io.dynstack.agent.analyze.fixture.chain.Chain;
import io.dynstack.agent.analyze.fixture.reclaim.Reclaim;
import io.dynstack.agent.analyze.fixture.reflect.Reflect;
import io.dynstack.agent.weave.CheckSites;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelPanic;
import io.dynstack.runtime.MethodKey;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.StackStats;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The analysis against the runtime: the chain it reports is the one that faults under
 * {@code fault=panic}, and with the checks that {@code guarantee=1024} places the same code runs
 * with no fault.
 */
class GuaranteeTest {

    private static final int THRESHOLD = 100;
    private static final int PAGE = StackConfig.DEFAULT.pageSize();

    @AfterEach
    void releaseStack() {
        Kernel.release();
    }

    @Test
    void reportedChainIsTheOneThatFaults() throws Exception {
        Analysis a = analyse("chain", THRESHOLD, -1);
        ChainBound.Chain worst = a.bound().worst();
        int entryFrame = a.graph().frameSize(worst.start());
        String firstPastPage = worst.links().stream()
                .filter(l -> entryFrame + l.total() > PAGE)
                .map(l -> a.graph().method(l.node()).key().toString()).findFirst().orElseThrow();
        assertEquals(key(Chain.class, "f82", "(I)I"), firstPastPage, "128 + 83 x 48 = 4112 > 4096");

        KernelPanic panic = assertThrows(KernelPanic.class,
                () -> run("chain", CheckSites.NONE, 0, Chain.class, "entry"));

        assertTrue(panic.headline().startsWith("double fault: " + firstPastPage + " (frame 48) at depth 4112"),
                panic.headline());
    }

    @Test
    void guaranteedChainRunsWithoutFault() throws Exception {
        Guarantee.Plan plan = plan("chain", 1024);

        assertEquals(Set.of(key(Chain.class, "f12", "(I)I"), key(Chain.class, "f34", "(I)I"),
                key(Chain.class, "f56", "(I)I"), key(Chain.class, "f78", "(I)I")), spelled(plan.sites().forced()));
        assertEquals(100, run("chain", plan.sites(), 1024, Chain.class, "entry"));

        StackStats stats = Kernel.stats();
        assertEquals(0, stats.events().faults());
        assertEquals(0, stats.events().panics());
        assertEquals(5, stats.events().checksExecuted(), "entry and the four placed checks");
        assertEquals(1, stats.events().grows(), "f78's check maps the second page ahead of f79..f99");
        assertEquals(128 + 4800, stats.depth().maxBytes());
    }

    @Test
    void directReclaimFaultsWithTheThresholdAlone() {
        KernelPanic panic = assertThrows(KernelPanic.class,
                () -> run("reclaim", CheckSites.NONE, 0, Reclaim.class, "allocPages", 80));

        assertTrue(panic.headline().startsWith("double fault: " + key(Reclaim.class, "shrinkNode", "(I)I")),
                panic.headline());
    }

    @Test
    void guaranteedDirectReclaimRunsWithoutFault() throws Exception {
        Guarantee.Plan plan = plan("reclaim", 1024);

        assertEquals(81, run("reclaim", plan.sites(), 1024, Reclaim.class, "allocPages", 80));
        StackStats stats = Kernel.stats();
        assertEquals(0, stats.events().faults());
        assertEquals(0, stats.events().panics());
        assertEquals(128 + 96 + 81 * 64 + 80, stats.depth().maxBytes());
    }

    @Test
    void reflectiveCallPastTheMarginFaultsWithoutTheGuarantee() {
        KernelPanic panic = assertThrows(KernelPanic.class,
                () -> run("reflect", CheckSites.NONE, 1024, Reflect.class, "pad", 0));

        assertTrue(panic.headline().startsWith("double fault: " + key(Reflect.class, "t8", "()I")
                + " (frame 96) at depth 4128"), panic.headline());
    }

    @Test
    void guaranteeMapsTheMarginBeforeAReflectiveCall() throws Exception {
        Guarantee.Plan plan = plan("reflect", 1024);
        assertEquals(Set.of(key(Reflect.class, "<init>", "()V")), spelled(plan.sites().forced()),
                "only the unused constructor, an entry: the analysis sees no chain past 1024 bytes");
        assertEquals(1024, plan.sites().reflectiveCallBytes());

        assertEquals(8, run("reflect", plan.sites(), 1024, Reflect.class, "pad", 0));

        StackStats stats = Kernel.stats();
        assertEquals(0, stats.events().faults());
        assertEquals(0, stats.events().panics());
        assertEquals(1, stats.events().expandCalls(), "c() maps 1024 bytes below its sp before Method.invoke");
        assertEquals(1, stats.events().grows(), "3360 + 1024 passes the first page");
        assertEquals(3072 + 3 * 96 + 8 * 96, stats.depth().maxBytes());
    }

    @Test
    void classesTheGuaranteeDidNotAnalyseAreCheckedInEveryMethod() {
        CheckSites sites = plan("chain", 1024).sites();
        String chain = Chain.class.getName().replace('.', '/');

        assertTrue(sites.checks(chain, "f12", "(I)I"));
        assertFalse(sites.checks(chain, "f13", "(I)I"));
        assertTrue(sites.checks("com/acme/LoadedLater", "tiny", "()V"));
        assertFalse(CheckSites.NONE.checks("com/acme/LoadedLater", "tiny", "()V"),
                "without a guarantee the threshold alone decides");
    }

    @Test
    void aClassPathEntryThatDoesNotExistIsIgnoredAsTheJvmIgnoresIt() {
        String missing = Path.of("no", "such.jar").toString();
        Guarantee.Plan plan = Guarantee.plan(Fixtures.analyzeClasses() + File.pathSeparator + missing,
                List.of(FIXTURE + "chain.**"), THRESHOLD, 1024);
        assertEquals(List.of(), plan.problems());
        assertEquals(List.of(missing), plan.missing());
        assertEquals(plan("chain", 1024).sites().forced(), plan.sites().forced());
    }

    private static Guarantee.Plan plan(String fixture, int margin) {
        Guarantee.Plan plan = Guarantee.plan(Fixtures.analyzeClasses().toString(), List.of(FIXTURE + fixture + ".**"),
                THRESHOLD, margin);
        assertEquals(List.of(), plan.problems());
        return plan;
    }

    /**
     * Runs {@code owner.method(args)} woven at the threshold with {@code sites} checked too, on a
     * fresh stack with {@code margin}, fault=panic.
     */
    private static int run(String fixture, CheckSites sites, int margin, Class<?> owner, String method,
                           int... args) throws Exception {
        Kernel.configure(StackConfig.DEFAULT.withMargin(margin));
        Class<?> woven = new WeavingLoader(FIXTURE + fixture + ".", new WeaveConfig(THRESHOLD), sites)
                .loadClass(owner.getName());
        try {
            return args.length == 0 ? (int) woven.getMethod(method).invoke(null)
                    : (int) woven.getMethod(method, int.class).invoke(null, args[0]);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof KernelPanic panic) {
                throw panic;
            }
            throw e;
        }
    }

    private static Set<String> spelled(Set<MethodKey> keys) {
        return keys.stream().map(MethodKey::toString).collect(Collectors.toSet());
    }
}

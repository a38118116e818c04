package io.dynstack.agent.analyze;

import static io.dynstack.agent.analyze.Fixtures.analyse;
import static io.dynstack.agent.analyze.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.analyze.fixture.callback.Timer;
import io.dynstack.agent.analyze.fixture.chain.Chain;
import io.dynstack.agent.analyze.fixture.diamond.Diamond;
import io.dynstack.agent.analyze.fixture.dispatch.Block;
import io.dynstack.agent.analyze.fixture.dispatch.Nvme;
import io.dynstack.agent.analyze.fixture.dispatch.Scsi;
import io.dynstack.agent.analyze.fixture.recursion.Recursion;
import io.dynstack.agent.analyze.fixture.reclaim.Reclaim;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bounds, paths and check sites on call graphs whose every frame size is fixed by @Frame. */
class AnalysisTest {

    private static final int THRESHOLD = 100;

    @Test
    void chainOfSmallFramesUnderACheckTakesTheirSum() {
        Analysis a = analyse("chain", THRESHOLD, -1);
        ChainBound.Chain worst = a.bound().worst();

        assertEquals(4800, worst.bytes());
        assertEquals(key(Chain.class, "entry", "()I"), name(a, worst.start()));
        assertFalse(worst.fromEntry(), "the chain starts at entry's check");
        List<String> expected = IntStream.range(0, 100).mapToObj(i -> key(Chain.class, "f" + i, "(I)I")).toList();
        assertEquals(expected, names(a, worst.links()));
        assertEquals(48, worst.links().get(0).total());
        assertEquals(4800, worst.links().get(99).total());
    }

    @Test
    void marginPlacesChecksEvery21FramesOfTheChain() {
        Analysis a = analyse("chain", THRESHOLD, 1024);
        CheckPlacement.Result p = a.placement();

        assertEquals(List.of(), names(a, p.entryChecks()), "entry is checked by the threshold");
        assertEquals(List.of(), p.cycleChecks());
        assertEquals(List.of(key(Chain.class, "f12", "(I)I"), key(Chain.class, "f34", "(I)I"),
                key(Chain.class, "f56", "(I)I"), key(Chain.class, "f78", "(I)I")), names(a, p.chainChecks()));
        assertEquals(1008, p.bound().bound(), "21 frames of 48 below each check");
        assertEquals(key(Chain.class, "f12", "(I)I"), name(a, p.bound().worst().start()));
        assertEquals(CheckPlacement.Algorithm.EXACT, p.algorithm(),
                "no 3 checks can split 100 frames into runs of at most 21 below a check");
    }

    @Test
    void diamondTakesTheHeavierArm() {
        Analysis a = analyse("diamond", THRESHOLD, -1);
        ChainBound.Chain worst = a.bound().worst();

        assertEquals(96, worst.bytes());
        assertEquals(key(Diamond.class, "top", "()V"), name(a, worst.start()));
        assertEquals(List.of(key(Diamond.class, "right", "()V"), key(Diamond.class, "bottom", "()V")),
                names(a, worst.links()));
        assertEquals(List.of(64L, 96L), worst.links().stream().map(ChainBound.Link::total).toList());
    }

    @Test
    void diamondNeedsOneCheckOnTheSharedCalleeWhereGreedyWouldPlaceTwo() {
        Analysis a = analyse("diamond", THRESHOLD, 64);
        CheckPlacement.Result p = a.placement();

        assertEquals(List.of(key(Diamond.class, "bottom", "()V")), names(a, p.chainChecks()));
        assertEquals(CheckPlacement.Algorithm.EXACT, p.algorithm());
        assertEquals(64, p.bound().bound(), "right's 64 bytes below top's check");
    }

    @Test
    void withoutBudgetForTheSearchTheDiamondKeepsGreedysTwoChecks() {
        Analysis a = analyse("diamond", THRESHOLD, 64);
        boolean[] byThreshold = new boolean[a.graph().size()];
        for (int v = 0; v < byThreshold.length; v++) {
            byThreshold[v] = a.checkedByThreshold(v);
        }
        CheckPlacement.Result p = CheckPlacement.place(a.graph(), byThreshold, 64, true, 0);

        assertEquals(CheckPlacement.Algorithm.GREEDY, p.algorithm(), "a budget of 0 steps leaves the greedy set");
        assertEquals(List.of(key(Diamond.class, "left", "()V"), key(Diamond.class, "right", "()V")),
                names(a, p.chainChecks()).stream().sorted().toList(), "both arms, where the search finds bottom alone");
        assertEquals(32, p.bound().bound(), "bottom's 32 bytes below either arm's check");
    }

    @Test
    void recursionWithNoCheckOnTheCycleIsUnbounded() {
        Analysis a = analyse("recursion", THRESHOLD, -1);

        assertEquals(ChainBound.UNBOUNDED, a.bound().bound());
        List<List<String>> cycles = a.bound().uncheckedCycles().stream()
                .map(c -> Arrays.stream(c).mapToObj(v -> name(a, v)).toList()).toList();
        assertEquals(List.of(List.of(key(Recursion.class, "ping", "(I)V"), key(Recursion.class, "pong", "(I)V"))),
                cycles, "walk and step recurse too, but walk's check is on their cycle");
        assertEquals(2, a.graph().recursion().size(), "both recursions are components of the call graph");
    }

    @Test
    void recursionThroughACheckIsBoundedByTheFramesBetweenChecks() {
        Analysis a = analyse("recursion", THRESHOLD, 64);
        CheckPlacement.Result p = a.placement();

        assertEquals(List.of(key(Recursion.class, "ping", "(I)V")), names(a, p.entryChecks()),
                "ping is called by no other component");
        assertEquals(List.of(), p.cycleChecks(), "ping's entry check already breaks the ping-pong cycle");
        assertEquals(List.of(), p.chainChecks());
        assertEquals(48, p.bound().bound(), "pong below ping's check, or step below walk's");
    }

    @Test
    void virtualCallReachesEveryOverride() {
        Analysis a = analyse("dispatch", THRESHOLD, -1);
        int submitBio = a.graph().node(key(Block.class, "submitBio", "(Lio/dynstack/agent/analyze/fixture/dispatch/Driver;)V"));

        assertEquals(List.of(key(Nvme.class, "queue", "()V"), key(Scsi.class, "queue", "()V")),
                Arrays.stream(a.graph().callees(submitBio)).mapToObj(v -> name(a, v)).toList());
        ChainBound.Chain worst = a.bound().chain(submitBio);
        assertEquals(112, worst.bytes(), "Scsi.queue 48 + Block.complete 64 beats Nvme.queue 80");
        assertEquals(List.of(key(Scsi.class, "queue", "()V"), key(Block.class, "complete", "()V")),
                names(a, worst.links()));
        assertEquals(112, a.bound().bound());
    }

    @Test
    void directReclaimRecursionIsUnboundedUntilTheCycleGetsACheck() {
        Analysis a = analyse("reclaim", THRESHOLD, 1024);
        String shrinkNode = key(Reclaim.class, "shrinkNode", "(I)I");

        assertEquals(ChainBound.UNBOUNDED, a.bound().bound());
        assertEquals(List.of(List.of(shrinkNode)), a.bound().uncheckedCycles().stream()
                .map(c -> Arrays.stream(c).mapToObj(v -> name(a, v)).toList()).toList());
        CheckPlacement.Result p = a.placement();
        assertEquals(List.of(shrinkNode), names(a, p.cycleChecks()));
        assertEquals(List.of(), p.chainChecks());
        assertEquals(96, p.bound().bound(), "tryToFreePages below allocPages' check");
        assertEquals(key(Reclaim.class, "allocPages", "(I)I"), name(a, p.bound().worst().start()));
    }

    @Test
    void codeTheAnalysisCannotFollowMakesEntries() {
        Analysis a = analyse("callback", THRESHOLD, -1);
        var entries = a.graph().entries();
        String timer = Timer.class.getName();

        assertEquals("overrides java.lang.Runnable.run, which code outside the kernel may call",
                entries.get(a.graph().node(timer + ".run()V")));
        assertEquals("static initialiser: runs wherever its class is first used",
                entries.get(a.graph().node(timer + ".<clinit>()V")));
        assertEquals("named by a method handle (lambda body or method reference)",
                entries.get(a.graph().node(timer + ".lambda$callback$0()V")));
        assertEquals("no other kernel method calls it", entries.get(a.graph().node(timer + ".callback()Ljava/lang/Runnable;")));
        assertFalse(entries.containsKey(a.graph().node(timer + ".fire()V")), "fire has kernel callers only");
        assertFalse(entries.containsKey(a.graph().node(timer + ".hz()I")), "hz is called by <clinit>");
    }

    @Test
    void checkstackListsMethodsLargestFirst() {
        Analysis a = analyse("diamond", THRESHOLD, -1);

        assertEquals(List.of(key(Diamond.class, "top", "()V"), key(Diamond.class, "right", "()V"),
                key(Diamond.class, "left", "()V"), key(Diamond.class, "bottom", "()V")),
                a.byFrameSize().stream().map(v -> name(a, v)).toList());
        assertTrue(a.checkedByThreshold(a.graph().node(key(Diamond.class, "top", "()V"))));
        assertFalse(a.checkedByThreshold(a.graph().node(key(Diamond.class, "right", "()V"))));
    }

    private static String name(Analysis a, int v) {
        return a.graph().method(v).key().toString();
    }

    private static List<String> names(Analysis a, List<?> nodesOrLinks) {
        List<String> out = new ArrayList<>();
        for (Object o : nodesOrLinks) {
            out.add(name(a, o instanceof ChainBound.Link l ? l.node() : (Integer) o));
        }
        return out;
    }
}

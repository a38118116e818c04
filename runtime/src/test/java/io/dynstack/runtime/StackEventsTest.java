package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JFR events of the slow paths, recorded in-process and read back from the file. */
class StackEventsTest {

    private static final String SELF = StackEventsTest.class.getName();

    @TempDir
    Path dir;

    /** Stands for a woven method: the events name the innermost method the weaver registered. */
    @BeforeAll
    static void registerTheTestChainAsWoven() {
        WovenMethods.register(List.of(
                new WovenMethods.Method(WovenMethods.nextId(), SELF, "vfsRead", "(Lio/dynstack/runtime/KernelStack;)V", 5000, true, 0),
                new WovenMethods.Method(WovenMethods.nextId(), SELF, "reclaim", "(Lio/dynstack/runtime/KernelStack;)V", 64, false, 9000)));
    }

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    private static void vfsRead(KernelStack ks) {
        ks.restore(ks.enterChecked(5000));
    }

    private static void reclaim(KernelStack ks) {
        int saved = ks.enter(64);
        ks.expandStack(9000);
        ks.restore(saved);
    }

    /** Runs {@code workload} under a recording; returns the dynstack events named in {@code keep}, or all if none. */
    private List<RecordedEvent> record(List<String> keep, Runnable workload) throws IOException {
        Path file = dir.resolve("rec.jfr");
        try (Recording recording = new Recording()) {
            keep.forEach(recording::enable);
            recording.start();
            workload.run();
            recording.stop();
            recording.dump(file);
        }
        // Every dynstack event is on by default, so a recording has the others too.
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dynstack."))
                .filter(e -> keep.isEmpty() || keep.contains(e.getEventType().getName()))
                .toList();
    }

    @Test
    void aCheckThatGrowsTheStackIsOneStackGrowNamingTheMethodBeingEntered() throws IOException {
        Kernel.configure(StackConfig.DEFAULT);
        List<RecordedEvent> events = record(List.of("dynstack.StackGrow"), () -> {
            KernelStack ks = KernelStack.current();
            vfsRead(ks);
            vfsRead(ks);
        });
        assertEquals(1, events.size(), "the second entry finds the pages mapped: " + events);
        RecordedEvent grow = events.get(0);
        assertEquals("dynstack.StackGrow", grow.getEventType().getName());
        assertEquals("check", grow.getString("cause"));
        assertEquals(SELF + ".vfsRead(Lio/dynstack/runtime/KernelStack;)V", grow.getString("method"));
        assertEquals(4096, grow.getLong("bytes"), "16384 - 5000 = 11384 lies in the second page");
        assertEquals(5000, grow.getLong("frameSize"));
        assertEquals(16384 - 5000, grow.getLong("sp"));
        assertEquals(5000, grow.getLong("depth"));
        assertEquals(8192, grow.getLong("mapped"));
        assertFalse(grow.getBoolean("irqStack"));
        assertEquals(Thread.currentThread().threadId(), grow.getThread().getJavaThreadId());
    }

    @Test
    void expandStackIsOneEventPerCallAndAGrowWhenItMaps() throws IOException {
        Kernel.configure(StackConfig.DEFAULT);
        List<RecordedEvent> events = record(List.of("dynstack.StackGrow", "dynstack.ExpandStack"), () -> {
            KernelStack ks = KernelStack.current();
            reclaim(ks);
            reclaim(ks);
        });
        List<String> names = events.stream().map(e -> e.getEventType().getName()).toList();
        assertEquals(List.of("dynstack.StackGrow", "dynstack.ExpandStack", "dynstack.ExpandStack"), names);
        assertEquals("expand_stack", events.get(0).getString("cause"));
        assertEquals(8192, events.get(0).getLong("bytes"), "9000 below sp 16320 reaches the fourth page");
        assertEquals(9000, events.get(1).getLong("requested"));
        assertEquals(8192, events.get(1).getLong("bytes"));
        assertEquals(0, events.get(2).getLong("bytes"), "the second call finds the pages mapped");
        assertEquals(SELF + ".reclaim(Lio/dynstack/runtime/KernelStack;)V", events.get(2).getString("method"));
        assertEquals(12288, events.get(2).getLong("mapped"));
    }

    @Test
    void aFaultUnderFaultGrowIsAFaultAndAGrow() throws IOException {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW));
        List<RecordedEvent> events = record(List.of("dynstack.StackGrow", "dynstack.StackFault"),
                () -> KernelStack.current().enter(6000));
        assertEquals(List.of("dynstack.StackFault", "dynstack.StackGrow"),
                events.stream().map(e -> e.getEventType().getName()).toList());
        assertEquals(6000, events.get(0).getLong("frameSize"));
        assertEquals(4096, events.get(0).getLong("bytes"));
        assertEquals("fault", events.get(1).getString("cause"));
        assertEquals(Kernel.stats().events().faults(), 1);
    }

    @Test
    void parkingWithReleaseAtParkIsAStackReleaseOfThePagesBelowSp() throws IOException {
        Kernel.configure(StackConfig.DEFAULT.withReleaseAtPark(true));
        List<RecordedEvent> events = record(List.of("dynstack.StackRelease"), () -> {
            KernelStack ks = KernelStack.current();
            int saved = ks.enter(100);
            vfsRead(ks);
            ks.park();
            ks.park();
            ks.restore(saved);
        });
        assertEquals(1, events.size(), "the second park finds nothing to give back: " + events);
        RecordedEvent release = events.get(0);
        assertEquals(4096, release.getLong("bytes"), "sp 16284 keeps the top page; the one the check mapped goes back");
        assertEquals(4096, release.getLong("mapped"));
        assertEquals(16284, release.getLong("sp"));
    }

    @Test
    void aPanicCarriesTheWholeOops() throws IOException {
        Kernel.configure(StackConfig.DEFAULT);
        KernelPanic[] thrown = new KernelPanic[1];
        List<RecordedEvent> events = record(List.of("dynstack.KernelPanic"),
                () -> thrown[0] = assertThrows(KernelPanic.class, () -> KernelStack.current().enter(6000)));
        assertEquals(1, events.size());
        RecordedEvent panic = events.get(0);
        assertTrue(panic.getString("reason").startsWith("double fault: "), panic.getString("reason"));
        assertEquals(thrown[0].getMessage(), panic.getString("oops"));
        assertEquals(16384, panic.getLong("sp"), "the panic leaves sp where it was");
        assertEquals(4096, panic.getLong("mapped"));
    }

    @Test
    void thePeriodicEventCarriesTheTotals() throws IOException {
        Kernel.configure(StackConfig.DEFAULT);
        StackEvents.register();
        Path file = dir.resolve("stats.jfr");
        try (Recording recording = new Recording()) {
            // At the end of the chunk, so that the event comes when the recording stops, not by the clock.
            recording.enable("dynstack.StackStatistics").with("period", "endChunk");
            recording.start();
            KernelStack ks = KernelStack.current();
            vfsRead(ks);
            ks.expandStack(12000);
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> stats = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dynstack.StackStatistics")).toList();
        assertFalse(stats.isEmpty());
        RecordedEvent last = stats.get(stats.size() - 1);
        assertEquals(1, last.getLong("stacks"));
        assertEquals(1, last.getLong("liveStacks"));
        assertEquals(12288, last.getLong("mappedBytes"), "expand_stack(12000) from sp 16384 reaches the fourth page");
        assertEquals(12288, last.getLong("peakMappedBytes"));
        assertEquals(1, last.getLong("checksExecuted"));
        assertEquals(2, last.getLong("grows"));
        assertEquals(1, last.getLong("expandCalls"));
        assertEquals(5000, last.getLong("maxDepthBytes"));
        assertEquals(WovenMethods.methodsWoven(), last.getLong("methodsWoven"));
        assertEquals(WovenMethods.checksInserted(), last.getLong("checksInserted"));
    }

    @Test
    void anEventTheRecordingDisablesIsNotCommitted() throws IOException {
        Kernel.configure(StackConfig.DEFAULT);
        Path file = dir.resolve("other.jfr");
        try (Recording recording = new Recording()) {
            recording.disable("dynstack.StackGrow");
            recording.start();
            vfsRead(KernelStack.current());
            recording.stop();
            recording.dump(file);
        }
        List<String> dynstack = RecordingFile.readAllEvents(file).stream()
                .map(e -> e.getEventType().getName()).filter(n -> n.startsWith("dynstack.")).toList();
        assertEquals(List.of(), dynstack);
        assertEquals(1, Kernel.stats().events().grows(), "the grow happened; only its event was off");
    }

    @Test
    void anyRecordingHasTheEventsUnlessItDisablesThem() throws IOException {
        Kernel.configure(StackConfig.DEFAULT);
        List<RecordedEvent> events = record(List.of(), () -> vfsRead(KernelStack.current()));
        assertEquals(List.of("dynstack.StackGrow"), events.stream().map(e -> e.getEventType().getName()).toList(),
                "enabled by default, so settings=default or profile need no entry for dynstack");
    }
}

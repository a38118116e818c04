package io.dynstack.runtime.jfr;

import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.Oops;
import io.dynstack.runtime.StackEvents;
import io.dynstack.runtime.StackStats;
import io.dynstack.runtime.WovenMethods;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Commits the dynstack events. Only {@code StackEvents} calls here, and only when the JVM has the
 * jdk.jfr module, so that no class of this package is loaded without it. Each method builds its
 * event and returns at once unless a recording wants it: without a recording the event class is
 * not instrumented and {@code shouldCommit()} is false, so the StackWalker never runs.
 */
public final class JfrEvents {

    /** Method descriptors need the class reference kept, as in the oops. */
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final AtomicBoolean PERIODIC = new AtomicBoolean();
    private static final Set<Class<?>> RUNTIME = Set.of(JfrEvents.class, StackEvents.class, KernelStack.class,
            Kernel.class);

    private JfrEvents() {
    }

    public static void grow(KernelStack stack, String cause, int sp, int bytes, int frame) {
        StackGrowEvent event = new StackGrowEvent();
        if (event.shouldCommit()) {
            event.cause = cause;
            event.bytes = bytes;
            event.frameSize = frame;
            where(event, stack, sp, enteringMethod());
            event.commit();
        }
    }

    public static void fault(KernelStack stack, int sp, int bytes, int frame) {
        StackFaultEvent event = new StackFaultEvent();
        if (event.shouldCommit()) {
            event.bytes = bytes;
            event.frameSize = frame;
            where(event, stack, sp, enteringMethod());
            event.commit();
        }
    }

    public static void expand(KernelStack stack, int requested, int bytes) {
        ExpandStackEvent event = new ExpandStackEvent();
        if (event.shouldCommit()) {
            event.requested = requested;
            event.bytes = bytes;
            where(event, stack, stack.sp(), enteringMethod());
            event.commit();
        }
    }

    public static void release(KernelStack stack, int bytes) {
        StackReleaseEvent event = new StackReleaseEvent();
        if (event.shouldCommit()) {
            event.bytes = bytes;
            where(event, stack, stack.sp(), enteringMethod());
            event.commit();
        }
    }

    public static void panic(KernelStack stack, Oops oops) {
        KernelPanicEvent event = new KernelPanicEvent();
        if (event.shouldCommit()) {
            event.reason = oops.headline();
            event.oops = oops.text();
            // The oops has walked the Java stack already: its innermost frame is the method being entered.
            Oops.ChainFrame entering = oops.chain().isEmpty() ? null : oops.chain().get(0);
            where(event, stack, oops.sp(), entering == null ? "" : entering.method());
            event.frameSize = entering == null ? 0 : entering.frameSize();
            event.commit();
        }
    }

    private static void where(StackEvent event, KernelStack stack, int sp, String method) {
        event.method = method;
        event.sp = sp;
        event.depth = stack.threadSize() - sp;
        event.mapped = stack.mappedBytes();
        event.cpu = stack.cpu();
        event.irqStack = stack.owner() == null;
    }

    /** The innermost woven method on the Java stack: the one whose entry called into the runtime. */
    private static String enteringMethod() {
        return WALKER.walk(frames -> frames
                // The runtime's own frames come first and are never woven; their descriptors cost a MethodType each.
                .filter(f -> !RUNTIME.contains(f.getDeclaringClass()))
                .map(f -> WovenMethods.find(f.getClassName(), f.getMethodName(), f.getDescriptor()))
                .filter(Objects::nonNull)
                .findFirst()
                .map(WovenMethods.Method::display)
                .orElse(""));
    }

    /**
     * Adds the periodic totals event once the recorder exists: registering it earlier would start
     * JFR's machinery in JVMs that never record.
     */
    public static void registerPeriodic() {
        if (PERIODIC.compareAndSet(false, true)) {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    FlightRecorder.addPeriodicEvent(StackStatisticsEvent.class, JfrEvents::statistics);
                }
            });
        }
    }

    private static void statistics() {
        StackStatisticsEvent event = new StackStatisticsEvent();
        if (!event.shouldCommit()) {
            return;
        }
        StackStats s = Kernel.stats();
        event.stacks = s.stacks().peakLive();
        event.liveStacks = s.stacks().live();
        event.stacksCreated = s.stacks().created();
        event.mappedBytes = s.memory().mappedBytes();
        event.peakMappedBytes = s.memory().peakMappedBytes();
        event.baseBytes = s.baseBytes();
        event.checksExecuted = s.events().checksExecuted();
        event.grows = s.events().grows();
        event.faults = s.events().faults();
        event.panics = s.events().panics();
        event.expandCalls = s.events().expandCalls();
        event.maxDepthBytes = s.depth().maxBytes();
        event.methodsWoven = WovenMethods.methodsWoven();
        event.checksInserted = WovenMethods.checksInserted();
        event.commit();
    }
}

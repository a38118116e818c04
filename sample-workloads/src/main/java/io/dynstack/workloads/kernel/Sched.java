package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.annotation.IdlePoint;
import io.dynstack.workloads.Idle;

/** The scheduler's idle points, where threads park: schedule() down to the context switch. */
public final class Sched {

    private Sched() {
    }

    @Frame(bytes = 32)
    public static void schedule() {
        scheduleInner();
    }

    @Frame(bytes = 144)
    static void scheduleInner() {
        contextSwitch();
    }

    /** The thread stays here, parked, until the workload lets it go. */
    @IdlePoint
    @Frame(bytes = 96)
    static void contextSwitch() {
        Idle.park();
    }

    /** schedule_hrtimeout_range(): an hrtimer_sleeper on the stack, then schedule(). */
    @Frame(bytes = 112)
    public static void scheduleHrtimeoutRange() {
        schedule();
    }
}

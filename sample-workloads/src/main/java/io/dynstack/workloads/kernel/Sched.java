package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.annotation.IdlePoint;
import io.dynstack.workloads.Idle;
import io.dynstack.workloads.Linux;

/** The scheduler's idle points, where threads park: schedule() down to the context switch. */
public final class Sched {

    private Sched() {
    }

    @Linux("schedule")
    @Frame(bytes = 16, locals = 0, align = 8)
    public static void schedule() {
        scheduleInner();
    }

    @Linux("__schedule")
    @Frame(bytes = 120, locals = 64, align = 8)
    static void scheduleInner() {
        contextSwitch();
    }

    /**
     * __switch_to_asm(): the callee-saved registers of the task switched out (its most, 72 bytes,
     * counts the return-stack-buffer fill's calls too). The thread stays here, parked, until the
     * workload lets it go.
     */
    @IdlePoint
    @Linux("__switch_to_asm")
    @Frame(bytes = 72, locals = 0, align = 8)
    static void contextSwitch() {
        Idle.park();
    }

    /** schedule_hrtimeout_range_clock(): an hrtimer_sleeper on the stack, then schedule(). */
    @Linux("schedule_hrtimeout_range_clock")
    @Frame(bytes = 120, locals = 80, align = 8)
    public static void scheduleHrtimeoutRangeClock() {
        schedule();
    }

    /** schedule_timeout(): a timer on the stack, then schedule(). */
    @Linux("schedule_timeout")
    @Frame(bytes = 88, locals = 56, align = 8)
    static void scheduleTimeout() {
        schedule();
    }
}

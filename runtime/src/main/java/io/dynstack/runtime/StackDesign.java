package io.dynstack.runtime;

/**
 * The designs the 2026 v2 thread put on the table beyond the RFC's, as knobs on top of a
 * {@link StackConfig}: what happens to a stack while its thread sleeps or runs in user space, how
 * growth is fed, and how much memory the machine has for it. Their mechanics run at park, wake,
 * switch, kernel entry and growth time, never on a frame's entry or exit.
 *
 * @param idle      what a thread gives back while it sleeps at an idle point or runs in user space
 * @param reclaim   Hansen's design: reclaim never-touched pages of a switched-out thread
 * @param spares    the RFC's per-CPU spare pages that every growth takes from, refilled when a task
 *                  leaves the CPU; {@link #OFF} for none
 * @param stash     pages of the global stash behind a lock that growth falls back to when a CPU's
 *                  spares run out (the rebased series: eight); 0 for none
 * @param freePages pages the machine has free for stack memory once the stacks exist;
 *                  {@link #UNLIMITED} for no bound
 */
public record StackDesign(Idle idle, Reclaim reclaim, int spares, int stash, int freePages) {

    public static final int OFF = -1;
    public static final int UNLIMITED = -1;

    /**
     * What a thread holding no stack keeps while asleep, in the model: its saved registers (pt_regs,
     * 168 bytes on x86-64) and a wait record of 88 bytes (what it waits for and how to resume).
     */
    public static final int KEPT_BYTES = 256;

    /** None of these designs: the RFC's mechanics only. */
    public static final StackDesign NONE = new StackDesign(Idle.KEEP, Reclaim.OFF, OFF, 0, UNLIMITED);

    /** What a thread gives back while it is not in the kernel or sleeps there. */
    public enum Idle {
        /** Stacks stay as they are (release_at_park may still give back the pages below sp). */
        KEEP,
        /** Release at idle: a thread parked in futex or epoll wait gives back its whole stack; wake takes one again. */
        RELEASE,
        /** A stack on kernel entry: held from syscall entry to the return to user; futex sleepers hold none. */
        MULTIPLEX
    }

    /** When untouched pages of a switched-out thread are reclaimed. */
    public enum Reclaim {
        OFF,
        /** At every context switch out, with a TLB shootdown each time. */
        SWITCH,
        /** By a shrinker pass ({@link Kernel#shrink()}), one shootdown per pass. */
        SHRINKER
    }

    public StackDesign {
        if (idle == null || reclaim == null) {
            throw new IllegalArgumentException("idle and reclaim must be given");
        }
        if (spares < OFF || stash < 0 || freePages < UNLIMITED) {
            throw new IllegalArgumentException("spares, stash and free_pages must be 0 or more pages");
        }
        if (stash > 0 && spares == OFF) {
            throw new IllegalArgumentException("stash is the fallback of spares: give spares too");
        }
    }

    /** Whether any of these designs is on, so that the mechanics need running at all. */
    public boolean active() {
        return !equals(NONE);
    }

    public boolean bounded() {
        return freePages != UNLIMITED;
    }

    public StackDesign withIdle(Idle mode) {
        return new StackDesign(mode, reclaim, spares, stash, freePages);
    }

    public StackDesign withReclaim(Reclaim mode) {
        return new StackDesign(idle, mode, spares, stash, freePages);
    }

    public StackDesign withSpares(int pages, int stashPages) {
        return new StackDesign(idle, reclaim, pages, stashPages, freePages);
    }

    public StackDesign withFreePages(int pages) {
        return new StackDesign(idle, reclaim, spares, stash, pages);
    }
}

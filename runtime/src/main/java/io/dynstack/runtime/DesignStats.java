package io.dynstack.runtime;

/**
 * The costs that only some of the 2026 thread's designs have ({@link StackDesign}); zero where a
 * design does not apply.
 *
 * @param inUse         which stacks hold pages, and what threads holding none keep
 * @param allocations   where threads had to take a stack or pages again, and the stalls for memory
 * @param reclaim       never-touched pages reclaimed from switched-out threads
 * @param spares        the per-CPU spares and the global stash
 * @param refills       spare and reserve refills
 * @param freePagesLeft free pages left under the bound; -1 without one
 */
public record DesignStats(InUse inUse, Allocations allocations, Reclaim reclaim, Spares spares, Refills refills,
                          long freePagesLeft) {

    /** What a run with none of the designs reports: every stack alive holds its pages. */
    static DesignStats none(long liveStacks, long peakLiveStacks) {
        Taken nothing = new Taken(0, 0);
        return new DesignStats(new InUse(liveStacks, peakLiveStacks, 0), new Allocations(nothing, nothing, nothing, 0),
                new Reclaim(0, 0), new Spares(0, 0, 0, 0, 0), new Refills(0, 0), -1);
    }

    /**
     * Stacks holding pages.
     *
     * @param stacks     stacks holding pages now: threads that gave theirs back are not counted
     * @param peakStacks the most stacks holding pages at once
     * @param keptBytes  what threads holding no stack keep instead ({@link StackDesign#KEPT_BYTES} each)
     */
    public record InUse(long stacks, long peakStacks, long keptBytes) {
    }

    /**
     * Stacks or pages taken where a thread needs them again.
     *
     * @param wake     wakes that had to take a stack again
     * @param entry    kernel entries that had to take a stack (multiplexing)
     * @param switchIn switch-ins that had to map reclaimed pages inside schedule()
     * @param stalls   times memory was needed where the thread can wait and none was free
     */
    public record Allocations(Taken wake, Taken entry, Taken switchIn, long stalls) {
    }

    /**
     * One kind of allocation.
     *
     * @param count how many times it happened
     * @param pages the pages they took
     */
    public record Taken(long count, long pages) {
    }

    /**
     * Pages reclaimed from switched-out threads.
     *
     * @param bytes      never-touched pages reclaimed, in bytes
     * @param shootdowns TLB shootdowns those reclaims needed: one per switch, or one per shrinker pass
     */
    public record Reclaim(long bytes, long shootdowns) {
    }

    /**
     * The per-CPU spares and the global stash.
     *
     * @param bytes           bytes waiting in per-CPU spares and the stash now
     * @param capacityBytes   bytes the full spares and stash hold
     * @param sparePagesTaken pages growth took from per-CPU spares
     * @param stashPagesTaken pages growth took from the global stash
     * @param stashLocks      acquisitions of the stash's lock: takes and refills
     */
    public record Spares(long bytes, long capacityBytes, long sparePagesTaken, long stashPagesTaken, long stashLocks) {
    }

    /**
     * Spare and reserve refills.
     *
     * @param found  refills that found their memory
     * @param failed refills that found no free memory, leaving the spares or reserve short
     */
    public record Refills(long found, long failed) {
    }
}

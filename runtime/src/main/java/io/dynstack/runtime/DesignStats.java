package io.dynstack.runtime;

/**
 * The costs that only some of the 2026 thread's designs have ({@link StackDesign}); zero where a
 * design does not apply.
 *
 * @param stacksInUse         stacks holding pages now: threads that gave theirs back are not counted
 * @param peakStacksInUse     the most stacks holding pages at once
 * @param keptBytes           what threads holding no stack keep instead ({@link StackDesign#KEPT_BYTES} each)
 * @param wakeAllocations     wakes that had to take a stack again, and the pages they took
 * @param entryAllocations    kernel entries that had to take a stack (multiplexing), and the pages
 * @param switchInAllocations switch-ins that had to map reclaimed pages inside schedule(), and the pages
 * @param stalls              times memory was needed where the thread can wait and none was free
 * @param reclaimedBytes      never-touched pages reclaimed from switched-out threads
 * @param shootdowns          TLB shootdowns those reclaims needed: one per switch, or one per shrinker pass
 * @param spareBytes          bytes waiting in per-CPU spares and the stash now
 * @param spareCapacityBytes  bytes the full spares and stash hold
 * @param sparePagesTaken     pages growth took from per-CPU spares
 * @param stashPagesTaken     pages growth took from the global stash
 * @param stashLocks          acquisitions of the stash's lock: takes and refills
 * @param refills             spare or reserve refills that found their memory
 * @param refillFailures      refills that found no free memory, leaving the spares or reserve short
 * @param freePagesLeft       free pages left under the bound; -1 without one
 */
public record DesignStats(long stacksInUse, long peakStacksInUse, long keptBytes, long wakeAllocations,
                          long wakePages, long entryAllocations, long entryPages, long switchInAllocations,
                          long switchInPages, long stalls, long reclaimedBytes, long shootdowns, long spareBytes,
                          long spareCapacityBytes, long sparePagesTaken, long stashPagesTaken, long stashLocks,
                          long refills, long refillFailures, long freePagesLeft) {
}

package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds a thread's stack: one thread's with one compare ({@link #get(Thread)}), any other's from
 * its thread id, in a directory of fixed-size chunks indexed by {@code tid >>> SHIFT}. A directory
 * lookup is two array loads; unlike a ThreadLocal it adds no map to each thread, which matters
 * with a million parked virtual threads. Thread ids only grow, so a chunk whose threads are all
 * gone is dropped and the directory stays proportional to live threads' ids.
 *
 * <p>Only the owning thread reads its slot on the hot path, and it wrote that slot itself; adding,
 * switching and removing stacks take the table's lock.
 *
 * <p>The directory is read with a plain load, not a volatile one: the JIT can then share one lookup
 * between all the kernel frames it inlines into a compiled method, and keep the stack pointer in a
 * register between them (a volatile read is a barrier that forces every frame to look up and
 * reload again). That is safe because a thread only ever needs its own slot: the chunk array sits
 * in a final field, so whoever sees a {@link Directory} sees the chunks copied into it when it was
 * made, and a thread that added its own chunk to a directory reads that directory or a later
 * copy, never an earlier one.
 */
final class StackTable {

    private static final int SHIFT = 10;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    /**
     * Stands in every directory slot that has no chunk, so that a lookup needs no null check and
     * stays within the JIT's inline size (MaxInlineSize, 35 bytes): inlined even where C1
     * compiles the caller. Its slots are never written.
     */
    private static final KernelStack[] NONE = new KernelStack[CHUNK];

    /**
     * Chunks of slots by {@code tid >>> SHIFT}; replaced by a grown copy, never grown in place. A
     * chunk is the slot array itself, so that a lookup loads one array less than it would through
     * a chunk object; how many stacks each chunk holds is counted beside it, in {@code live}.
     */
    private record Directory(KernelStack[][] chunks, int[] live) {
    }

    private static Directory directory = empty(64);
    private static int size;
    /**
     * One thread's stack, found without the directory: {@link #get(Thread)} compares its owner
     * with the calling thread, a static load and a field load, where the directory costs four
     * loads that each wait for the one before (the top frame of a woven run's profile). Most
     * kernel code runs on one thread; the first to install a stack of its own takes this place
     * and keeps it while the table maps it to that stack. It is set and cleared only under the lock and only to a stack
     * of the thread that installs it, so a thread that finds itself here put itself here, and what
     * it later did to its entry it did in program order, clearing this first.
     */
    private static KernelStack first;

    private StackTable() {
    }

    /** The stack of {@code thread}, the calling thread; null if it has none. */
    static KernelStack get(Thread thread) {
        KernelStack stack = first;
        if (stack != null && stack.owner == thread) {
            return stack;
        }
        return get(thread.threadId());
    }

    /** Thread ids count up from 1, so {@code tid >>> SHIFT} stays far below 2^31 and the cast keeps it positive. */
    static KernelStack get(long tid) {
        KernelStack[][] dir = directory.chunks;
        int index = (int) (tid >>> SHIFT);
        if (index < dir.length) {
            return dir[index][(int) tid & MASK];
        }
        return null;
    }

    private static Directory empty(int length) {
        KernelStack[][] chunks = new KernelStack[length][];
        Arrays.fill(chunks, NONE);
        return new Directory(chunks, new int[length]);
    }

    /** Installs {@code stack} as the thread's current stack; returns the one it replaces. */
    static synchronized KernelStack put(long tid, KernelStack stack) {
        int index = (int) (tid >>> SHIFT);
        Directory dir = directory;
        if (index >= dir.chunks.length) {
            int length = Math.max(index + 1, dir.chunks.length * 2);
            // Copied before the record is made: the final field publishes only what it held by then.
            KernelStack[][] chunks = Arrays.copyOf(dir.chunks, length);
            Arrays.fill(chunks, dir.chunks.length, length, NONE);
            dir = new Directory(chunks, Arrays.copyOf(dir.live, length));
            directory = dir;
        }
        KernelStack[] chunk = dir.chunks[index];
        if (chunk == NONE) {
            if (stack == null) {
                return null;
            }
            chunk = new KernelStack[CHUNK];
            dir.chunks[index] = chunk;
        }
        int slot = (int) tid & MASK;
        KernelStack previous = chunk[slot];
        leaves(previous);
        chunk[slot] = stack;
        if (first == null && stack != null && stack.owner != null && stack.owner.threadId() == tid) {
            first = stack;
        }
        int change = (previous == null ? 1 : 0) - (stack == null ? 1 : 0);
        dir.live[index] += change;
        size += change;
        if (dir.live[index] == 0) {
            dir.chunks[index] = NONE;
        }
        return previous;
    }

    /** {@code stack} is no longer in the table: it gives up the one-compare place if it holds it. */
    private static void leaves(KernelStack stack) {
        if (stack == first) {
            first = null;
        }
    }

    /** Removes the thread's entry if it is still {@code stack}. */
    static synchronized boolean remove(long tid, KernelStack stack) {
        if (get(tid) != stack) {
            return false;
        }
        put(tid, null);
        return true;
    }

    static synchronized List<KernelStack> all() {
        List<KernelStack> stacks = new ArrayList<>();
        for (KernelStack[] chunk : directory.chunks) {
            if (chunk != NONE) {
                for (KernelStack s : chunk) {
                    if (s != null) {
                        stacks.add(s);
                    }
                }
            }
        }
        return stacks;
    }

    /** Removes the stacks of threads that have ended and returns them; one pass over the table, no copy of it. */
    static synchronized List<KernelStack> removeEnded() {
        List<KernelStack> ended = new ArrayList<>();
        Directory dir = directory;
        for (int index = 0; index < dir.chunks.length; index++) {
            KernelStack[] chunk = dir.chunks[index];
            if (chunk == NONE) {
                continue;
            }
            for (int slot = 0; slot < CHUNK; slot++) {
                KernelStack s = chunk[slot];
                if (s != null && s.owner != null && !s.owner.isAlive()) {
                    leaves(s);
                    ended.add(s);
                    chunk[slot] = null;
                    dir.live[index]--;
                    size--;
                }
            }
            if (dir.live[index] == 0) {
                dir.chunks[index] = NONE;
            }
        }
        return ended;
    }

    /** Stacks in the table, including those of threads that have ended and not been swept yet. */
    static synchronized int size() {
        return size;
    }

    static synchronized void clear() {
        first = null;
        directory = empty(64);
        size = 0;
    }
}

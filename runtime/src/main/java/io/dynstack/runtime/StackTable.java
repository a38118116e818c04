package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds a thread's stack from its thread id: a directory of fixed-size chunks indexed by
 * {@code tid >>> SHIFT}. A lookup is two array loads; unlike a ThreadLocal it adds no map to each
 * thread, which matters with a million parked virtual threads. Thread ids only grow, so a chunk
 * whose threads are all gone is dropped and the directory stays proportional to live threads' ids.
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

    private static final class Chunk {
        final KernelStack[] slots = new KernelStack[CHUNK];
        int live;
    }

    /**
     * Stands in every directory slot that has no chunk, so that a lookup needs no null check and
     * stays within the JIT's inline size (MaxInlineSize, 35 bytes): inlined even where C1
     * compiles the caller. Its slots are never written.
     */
    private static final Chunk NONE = new Chunk();

    /** Chunk pointers by {@code tid >>> SHIFT}; replaced by a grown copy, never grown in place. */
    private record Directory(Chunk[] chunks) {
    }

    private static Directory directory = new Directory(empty(64));
    private static int size;

    private StackTable() {
    }

    /** Thread ids count up from 1, so {@code tid >>> SHIFT} stays far below 2^31 and the cast keeps it positive. */
    static KernelStack get(long tid) {
        Chunk[] dir = directory.chunks;
        int index = (int) (tid >>> SHIFT);
        if (index < dir.length) {
            return dir[index].slots[(int) tid & MASK];
        }
        return null;
    }

    private static Chunk[] empty(int length) {
        Chunk[] chunks = new Chunk[length];
        Arrays.fill(chunks, NONE);
        return chunks;
    }

    /** Installs {@code stack} as the thread's current stack; returns the one it replaces. */
    static synchronized KernelStack put(long tid, KernelStack stack) {
        int index = (int) (tid >>> SHIFT);
        Chunk[] dir = directory.chunks;
        if (index >= dir.length) {
            Chunk[] grown = empty(Math.max(index + 1, dir.length * 2));
            System.arraycopy(dir, 0, grown, 0, dir.length);
            directory = new Directory(grown);
            dir = grown;
        }
        Chunk chunk = dir[index];
        if (chunk == NONE) {
            if (stack == null) {
                return null;
            }
            chunk = new Chunk();
            dir[index] = chunk;
        }
        int slot = (int) tid & MASK;
        KernelStack previous = chunk.slots[slot];
        chunk.slots[slot] = stack;
        int change = (previous == null ? 1 : 0) - (stack == null ? 1 : 0);
        chunk.live += change;
        size += change;
        if (chunk.live == 0) {
            dir[index] = NONE;
        }
        return previous;
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
        for (Chunk chunk : directory.chunks) {
            if (chunk != NONE) {
                for (KernelStack s : chunk.slots) {
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
        Chunk[] dir = directory.chunks;
        for (int index = 0; index < dir.length; index++) {
            Chunk chunk = dir[index];
            if (chunk == NONE) {
                continue;
            }
            for (int slot = 0; slot < CHUNK; slot++) {
                KernelStack s = chunk.slots[slot];
                if (s != null && s.owner != null && !s.owner.isAlive()) {
                    ended.add(s);
                    chunk.slots[slot] = null;
                    chunk.live--;
                    size--;
                }
            }
            if (chunk.live == 0) {
                dir[index] = NONE;
            }
        }
        return ended;
    }

    /** Stacks in the table, including those of threads that have ended and not been swept yet. */
    static synchronized int size() {
        return size;
    }

    static synchronized void clear() {
        directory = new Directory(empty(64));
        size = 0;
    }
}

package io.dynstack.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a thread's stack from its thread id: a directory of fixed-size chunks indexed by
 * {@code tid >>> SHIFT}. A lookup is two array loads; unlike a ThreadLocal it adds no map to each
 * thread, which matters with a million parked virtual threads. Thread ids only grow, so a chunk
 * whose threads are all gone is dropped and the directory stays proportional to live threads' ids.
 *
 * <p>Only the owning thread reads its slot on the hot path, and it wrote that slot itself; adding,
 * switching and removing stacks take the table's lock.
 */
final class StackTable {

    private static final int SHIFT = 10;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private static final class Chunk {
        final KernelStack[] slots = new KernelStack[CHUNK];
        int live;
    }

    private static volatile Chunk[] directory = new Chunk[64];

    private StackTable() {
    }

    static KernelStack get(long tid) {
        Chunk[] dir = directory;
        long index = tid >>> SHIFT;
        if (index < dir.length) {
            Chunk chunk = dir[(int) index];
            if (chunk != null) {
                return chunk.slots[(int) tid & MASK];
            }
        }
        return null;
    }

    /** Installs {@code stack} as the thread's current stack; returns the one it replaces. */
    static synchronized KernelStack put(long tid, KernelStack stack) {
        int index = (int) (tid >>> SHIFT);
        Chunk[] dir = directory;
        if (index >= dir.length) {
            Chunk[] grown = new Chunk[Math.max(index + 1, dir.length * 2)];
            System.arraycopy(dir, 0, grown, 0, dir.length);
            directory = dir = grown;
        }
        Chunk chunk = dir[index];
        if (chunk == null) {
            chunk = new Chunk();
            dir[index] = chunk;
        }
        int slot = (int) tid & MASK;
        KernelStack previous = chunk.slots[slot];
        chunk.slots[slot] = stack;
        chunk.live += (previous == null ? 1 : 0) - (stack == null ? 1 : 0);
        if (chunk.live == 0) {
            dir[index] = null;
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
        for (Chunk chunk : directory) {
            if (chunk != null) {
                for (KernelStack s : chunk.slots) {
                    if (s != null) {
                        stacks.add(s);
                    }
                }
            }
        }
        return stacks;
    }

    static synchronized void clear() {
        directory = new Chunk[64];
    }
}

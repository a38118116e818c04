package io.dynstack.workloads.example;

import io.dynstack.annotation.ExpandStack;
import io.dynstack.annotation.Frame;

/** read(2) down to the device, and the direct-reclaim detour an allocation can take on the way. */
final class Syscalls {

    private Syscalls() {
    }

    static int read(int fd, boolean lowMemory) {
        return vfsRead(fd, 4096, lowMemory);
    }

    @Frame(bytes = 96)
    static int vfsRead(int fd, int count, boolean lowMemory) {
        return ext4FileRead(fd, count, lowMemory);
    }

    @Frame(bytes = 208)
    static int ext4FileRead(int fd, int count, boolean lowMemory) {
        if (lowMemory) {
            tryToFreePages(count);
        }
        return submitBio(fd, count);
    }

    @Frame(bytes = 352)
    static int submitBio(int fd, int count) {
        return nvmeQueueRq(count);
    }

    @Frame(bytes = 144)
    static int nvmeQueueRq(int count) {
        return count;
    }

    /** Direct reclaim: deep and easy to underestimate, so it maps what it needs up front. */
    @ExpandStack(bytes = 8192)
    @Frame(bytes = 176)
    static void tryToFreePages(int pages) {
        shrinkNode(pages, 0);
    }

    @Frame(bytes = 64)
    static void shrinkNode(int pages, int level) {
        if (level < 40) {
            shrinkNode(pages, level + 1);
        }
    }
}

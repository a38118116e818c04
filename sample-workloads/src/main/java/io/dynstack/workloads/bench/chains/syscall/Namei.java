package io.dynstack.workloads.bench.chains.syscall;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.bench.Inline;

/** Path lookup: do_filp_open holds a struct nameidata on the stack, then walks the path. */
final class Namei {

    private Namei() {
    }

    @Frame(bytes = 240)
    static long doFilpOpen(long path) {
        return pathOpenat(Inline.mix(path));
    }

    @Frame(bytes = 176)
    static long pathOpenat(long nd) {
        return linkPathWalk(Inline.mix(nd));
    }

    @Frame(bytes = 144)
    static long linkPathWalk(long name) {
        return walkComponent(Inline.mix(name));
    }

    static long walkComponent(long nd) {
        return Ext4.ext4Lookup(Inline.mix(nd));
    }
}

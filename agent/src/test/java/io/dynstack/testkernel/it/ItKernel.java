package io.dynstack.testkernel.it;

import io.dynstack.annotation.Frame;

/** Run under the real agent jar in a child JVM by AgentJarIT. */
public final class ItKernel {

    private ItKernel() {
    }

    /** 64 + 96 + 208 + n x 512 bytes deep. */
    @Frame(bytes = 64)
    public static int read(int n) {
        return vfs(n);
    }

    @Frame(bytes = 96)
    static int vfs(int n) {
        return fs(n);
    }

    @Frame(bytes = 208)
    static int fs(int n) {
        return deep(n);
    }

    @Frame(bytes = 512)
    static int deep(int n) {
        return n <= 1 ? n : deep(n - 1) + 1;
    }
}

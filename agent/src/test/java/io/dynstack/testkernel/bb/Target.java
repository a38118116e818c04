package io.dynstack.testkernel.bb;

import io.dynstack.agent.Probe;
import io.dynstack.annotation.Frame;

/** Woven by the real agent transformer in KernelTransformerTest. */
public final class Target implements java.util.function.IntSupplier {

    @Override
    @Frame(bytes = 240)
    public int getAsInt() {
        return inner();
    }

    @Frame(bytes = 48)
    static int inner() {
        return Probe.depth();
    }
}

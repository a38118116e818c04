package io.dynstack.testkernel.marked;

import io.dynstack.agent.Probe;
import io.dynstack.annotation.Frame;
import io.dynstack.annotation.KernelCode;

/** Outside every glob, kernel code by annotation. */
@KernelCode
public final class Marked implements java.util.function.IntSupplier {

    @Override
    @Frame(bytes = 80)
    public int getAsInt() {
        return Probe.depth();
    }
}

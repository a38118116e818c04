package io.dynstack.agent;

import io.dynstack.runtime.KernelStack;
import java.util.ArrayList;
import java.util.List;

/** Not kernel code: lets woven test code show the simulated depth at a point of interest. */
public final class Probe {

    private static final List<Integer> DEPTHS = new ArrayList<>();

    private Probe() {
    }

    public static int depth() {
        return KernelStack.current().depth();
    }

    public static synchronized void record() {
        DEPTHS.add(depth());
    }

    public static synchronized List<Integer> recorded() {
        List<Integer> copy = List.copyOf(DEPTHS);
        DEPTHS.clear();
        return copy;
    }
}

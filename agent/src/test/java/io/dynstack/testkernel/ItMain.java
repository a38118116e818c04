package io.dynstack.testkernel;

import io.dynstack.testkernel.it.ItKernel;

/** The host program AgentJarIT starts under the agent: not kernel code itself. */
public final class ItMain {

    private ItMain() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        System.out.println("read " + ItKernel.read(n));
    }
}

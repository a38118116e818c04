package io.dynstack.testkernel.host;

import io.dynstack.testkernel.it.ItKernel;

/** A host that catches Throwable around kernel code and carries on, as a SQL engine wrapping errors does. */
public final class SwallowMain {

    private SwallowMain() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("read " + ItKernel.read(Integer.parseInt(args[0])));
        } catch (Throwable t) {
            System.out.println("swallowed " + t.getClass().getName());
        }
    }
}

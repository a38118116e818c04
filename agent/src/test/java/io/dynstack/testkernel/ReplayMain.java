package io.dynstack.testkernel;

import io.dynstack.agent.linux.Replay;
import io.dynstack.runtime.KernelStack;

/** Replays the chain given as arguments through the imported classes on the class path; prints the depth at its leaf. */
public final class ReplayMain {

    private ReplayMain() {
    }

    public static void main(String[] args) {
        Replay.run(() -> System.out.println("leaf at depth " + KernelStack.current().depth()), args);
    }
}

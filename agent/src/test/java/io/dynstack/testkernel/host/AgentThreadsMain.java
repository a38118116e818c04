package io.dynstack.testkernel.host;

import io.dynstack.testkernel.it.ItKernel;
import java.util.List;

/** Names the agent's threads alive when main() starts and after the first kernel entry. */
public final class AgentThreadsMain {

    private AgentThreadsMain() {
    }

    public static void main(String[] args) {
        System.out.println("at main " + agentThreads());
        ItKernel.read(1);
        System.out.println("after kernel entry " + agentThreads());
    }

    private static List<String> agentThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("dynstack"))
                .sorted().toList();
    }
}

package io.dynstack.agent.analyze;

import io.dynstack.agent.analyze.fixture.chain.Chain;

/** User code for the agent jar tests: one call into the chain fixture, its result on stdout. */
public final class ChainMain {

    private ChainMain() {
    }

    public static void main(String[] args) {
        System.out.println(Chain.entry());
    }
}

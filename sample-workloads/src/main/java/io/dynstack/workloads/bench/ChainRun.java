package io.dynstack.workloads.bench;

/**
 * Runs one op of a chain and exits: what {@link Sweep} starts under the agent with {@code report=}
 * to read the simulated figures of one op (checks inserted and executed, faults, panics). The seed
 * is fixed, so the same chain and options give the same report on every run.
 */
public final class ChainRun {

    static final long SEED = 42;

    private ChainRun() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ChainRun CHAIN   (chains: syscall-mix, small-frames, recursive, real-work)");
            System.exit(2);
        }
        System.out.println(Chain.byId(args[0]).runOnce(SEED));
    }
}

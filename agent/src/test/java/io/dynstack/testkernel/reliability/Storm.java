package io.dynstack.testkernel.reliability;

import io.dynstack.annotation.Frame;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * One thread's share of the stress test, sized so every total can be worked out by hand:
 * task (64) + round (64) + up to 21 frames of descend (512, checked at the default threshold)
 * is at most 10,880 bytes, three pages.
 */
public final class Storm {

    public static final int ROUNDS = 30;
    public static final int LEVELS = 20;
    public static final int THROW_AT = 5;

    private Storm() {
    }

    /**
     * Meets every other thread at {@code started} with its stack alive, runs one round, meets them
     * again at {@code grown} with its stack at its full size, then runs the rest; every third round
     * throws from the depths and is caught half way up. Ends by throwing out of the kernel when
     * {@code escape}.
     */
    @Frame(bytes = 64)
    public static int task(CyclicBarrier started, CyclicBarrier grown, boolean escape)
            throws InterruptedException, BrokenBarrierException {
        started.await();
        int sum = round(0);
        grown.await();
        for (int r = 1; r < ROUNDS; r++) {
            sum += round(r);
        }
        if (escape) {
            throw new IllegalStateException("escapes the kernel");
        }
        return sum;
    }

    @Frame(bytes = 64)
    static int round(int r) {
        try {
            return descend(LEVELS, r % 3 == 0 ? THROW_AT : -1);
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    @Frame(bytes = 512)
    static int descend(int n, int throwAt) {
        if (n == throwAt) {
            throw new IllegalStateException("at " + n);
        }
        return n == 0 ? 0 : descend(n - 1, throwAt) + 1;
    }
}

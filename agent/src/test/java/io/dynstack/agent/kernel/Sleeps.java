package io.dynstack.agent.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.annotation.IdlePoint;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.Wait;

/** A futex wait down to an idle point: what is mapped while the thread sleeps there is returned. */
public final class Sleeps {

    private Sleeps() {
    }

    /** futex wait: 64 bytes, then the idle point's 96. */
    @Frame(bytes = 64)
    public static long futexWait(boolean interrupted) {
        Kernel.waitIn(Wait.FUTEX);
        return idle(interrupted);
    }

    /** Parked here: the thread leaves by a return, or by an exception when {@code interrupted}. */
    @IdlePoint
    @Frame(bytes = 96)
    static long idle(boolean interrupted) {
        long mapped = Kernel.stats().memory().mappedBytes();
        if (interrupted) {
            throw new IllegalStateException("interrupted with " + mapped + " bytes mapped");
        }
        return mapped;
    }
}

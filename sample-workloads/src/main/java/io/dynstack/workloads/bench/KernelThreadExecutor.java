package io.dynstack.workloads.bench;

import io.dynstack.runtime.KernelStack;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs JMH's benchmark threads as {@link KernelThread}s, so that {@link StateLookup} can compare a
 * field on the thread with the other lookups on the same threads. JMH builds it by reflection
 * ({@code -Djmh.executor=CUSTOM -Djmh.executor.class=...}) with this constructor.
 */
public final class KernelThreadExecutor extends ThreadPoolExecutor {

    /** A thread that carries its simulated stack in a field: the lookup a JVM could give for free. */
    public static final class KernelThread extends Thread {
        KernelStack stack;

        KernelThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }

    public KernelThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new Factory(prefix));
    }

    private record Factory(String prefix, AtomicInteger count) implements java.util.concurrent.ThreadFactory {
        Factory(String prefix) {
            this(prefix, new AtomicInteger());
        }

        @Override
        public Thread newThread(Runnable task) {
            return new KernelThread(task, prefix + "-kernel-" + count.incrementAndGet());
        }
    }
}

package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dynstack.agent.linux.Snapshot.Frame;
import io.dynstack.agent.linux.Snapshot.Kind;
import io.dynstack.agent.linux.StackPricing.KstackOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A live snapshot of this JVM's own threads, three of them parked in known ways. Runs where
 * /proc/self/task/TID/stack is readable (Linux, root); elsewhere it is skipped, saying why.
 */
class LiveSnapshotTest {

    private static final Path PROC = Path.of("/proc");

    @Test
    void findsTheFunctionsWhereThreadsParked() throws Exception {
        String why = unreadable();
        assumeTrue(why == null, () -> "skipped: " + why);
        Selector selector = Selector.open();
        Pipe pipe = Pipe.open();
        Thread futex = Thread.ofPlatform().daemon().name("dynstack-futex").start(LockSupport::park);
        Thread epoll = Thread.ofPlatform().daemon().name("dynstack-epoll").start(() -> {
            try {
                selector.select();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread pipeRead = Thread.ofPlatform().daemon().name("dynstack-pipe").start(() -> {
            try {
                pipe.source().read(ByteBuffer.allocate(1));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Map<String, Predicate<String>> expected = Map.of(
                    "dynstack-futex", name -> name.equals("do_futex"),
                    "dynstack-epoll", name -> name.equals("do_epoll_wait") || name.equals("ep_poll"),
                    "dynstack-pipe", name -> name.endsWith("pipe_read"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Map<String, List<Frame>> found = Map.of();
            while (System.nanoTime() < deadline) {
                Map<String, List<Frame>> now = ownThreads(expected.keySet());
                found = now;
                if (now.size() == expected.size() && expected.entrySet().stream().allMatch(e ->
                        found(now.get(e.getKey()), e.getValue()))) {
                    for (List<Frame> frames : now.values()) {
                        assertTrue(frames.stream().anyMatch(f -> f.kind() == Kind.SWITCH_FRAME), frames.toString());
                        assertTrue(frames.stream().anyMatch(f -> f.name().equals("do_syscall_64")), frames.toString());
                    }
                    return;
                }
                Thread.sleep(50);
            }
            fail("the parked threads' chains did not show the expected functions: " + found);
        } finally {
            LockSupport.unpark(futex);
            selector.wakeup();
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            futex.join();
            epoll.join();
            pipeRead.join();
            selector.close();
            pipe.sink().close();
            pipe.source().close();
        }
    }

    private static boolean found(List<Frame> frames, Predicate<String> expected) {
        return frames != null && frames.stream().anyMatch(f -> expected.test(f.name()));
    }

    /** The chains of this process's threads with these names, read and priced as the command does. */
    private static Map<String, List<Frame>> ownThreads(java.util.Set<String> names) throws IOException {
        Snapshot s = SnapshotCommand.take(ProcStacks.read(PROC), ProcFixture.data(), KstackOffset.NONE, Instant.now());
        Map<String, List<Frame>> found = new java.util.HashMap<>();
        for (Snapshot.Chain c : s.chains()) {
            for (String comm : c.comms()) {
                if (names.contains(comm)) {
                    found.put(comm, c.frames());
                }
            }
        }
        return found;
    }

    private static String unreadable() {
        Path self = PROC.resolve("thread-self/stack");
        if (!Files.exists(self)) {
            return "no " + self + " (not Linux)";
        }
        try {
            Files.readString(self);
            return null;
        } catch (IOException e) {
            return self + " is not readable (" + e.getMessage() + "); the stack files need root";
        }
    }
}

package io.dynstack.workloads;

import io.dynstack.agent.linux.KernelClasses;
import io.dynstack.agent.linux.KernelData;
import io.dynstack.agent.linux.Replay;
import io.dynstack.agent.linux.Snapshot;
import io.dynstack.agent.linux.Snapshot.Frame;
import io.dynstack.agent.linux.Snapshot.Kind;
import io.dynstack.agent.linux.SnapshotCommand;
import io.dynstack.agent.linux.SnapshotTable;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.KernelStack;
import io.dynstack.runtime.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a real machine as a workload: every thread replays its real chain, outermost
 * first, through the classes the import generates from the kernel data that priced the snapshot,
 * and parks at its real sleep point, so the designs run on real frames and the table's columns
 * come out of the simulated stacks.
 *
 * <p>A chain's functions run as imported methods, each woven with its real frame, in runs as long
 * as the data's call graph allows (a step the graph does not know, such as one that another
 * kernel release takes, starts a new run from the previous run's innermost frame: the frames on
 * the stack are the same). What has no function is moved on the stack as raw bytes, unchecked as
 * in the kernel: pt_regs, the kstack offset, an unpriced frame's return address, and the switch
 * frame, where a thread that slept parks ({@link KernelStack#park()}: designs that release at
 * sleep do so there) and a running one just waits.
 */
final class SnapshotWorkload implements Workload {

    /** The snapshot shipped as a default workload, a resource next to this class. */
    static final String SHIPPED = "snapshot/build-machine.json";
    /** A workload name {@code snapshot:FILE} replays the snapshot in FILE. */
    static final String PREFIX = "snapshot:";

    private final String name;
    private final String source;
    private Snapshot snapshot;
    private List<Step> plan;

    private SnapshotWorkload(String name, String source) {
        this.name = name;
        this.source = source;
    }

    static SnapshotWorkload shipped() {
        return new SnapshotWorkload("build-machine", null);
    }

    /** A bad file is an {@link IllegalArgumentException} here, before any cell runs. */
    static SnapshotWorkload file(String path) {
        SnapshotWorkload w = new SnapshotWorkload(PREFIX + path, path);
        w.snapshot();
        return w;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String models() {
        Snapshot s = snapshot();
        return "a real machine's snapshot (" + s.machine().release() + ", " + s.machine().takenAt() + ", " + s.threads()
                + " threads): each replays its /proc chain through the imported " + s.data().release() + " kernel";
    }

    @Override
    public Map<String, Integer> defaults() {
        return Map.of("copies", 1);
    }

    @Override
    public int cpus(Map<String, Integer> params) {
        return snapshot().machine().cpus();
    }

    @Override
    public List<Task> tasks(Map<String, Integer> params) {
        Snapshot s = snapshot();
        List<Step> steps = plan();
        List<Task> tasks = new ArrayList<>();
        int cpus = s.machine().cpus();
        for (int copy = 0; copy < params.get("copies"); copy++) {
            for (int c = 0; c < s.chains().size(); c++) {
                Snapshot.Chain chain = s.chains().get(c);
                Step step = steps.get(c);
                for (int t = 0; t < chain.threads(); t++) {
                    String comm = chain.comms().get(t % chain.comms().size());
                    tasks.add(new Task(comm + "#" + tasks.size(), tasks.size() % cpus, step::run));
                }
            }
        }
        return tasks;
    }

    synchronized Snapshot snapshot() {
        if (snapshot == null) {
            try {
                snapshot = source == null ? shippedSnapshot() : Snapshot.read(Path.of(source));
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        return snapshot;
    }

    private static Snapshot shippedSnapshot() throws IOException {
        try (InputStream in = SnapshotWorkload.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IOException("the shipped snapshot " + SHIPPED + " is not on the class path");
            }
            return Snapshot.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED);
        }
    }

    /** One step per chain, built once: the imported classes are generated and loaded here. */
    synchronized List<Step> plan() {
        if (plan == null) {
            Snapshot s = snapshot();
            Replay replay = replay(s);
            List<Step> steps = new ArrayList<>();
            for (Snapshot.Chain chain : s.chains()) {
                steps.add(Step.of(replay, chain));
            }
            plan = steps;
        }
        return plan;
    }

    private static Replay replay(Snapshot s) {
        KernelData data = carriedData();
        if (!data.header().release().equals(s.data().release())) {
            throw new IllegalArgumentException("the snapshot was priced with " + s.data().release()
                    + " and this build carries " + data.header().release() + ": take the snapshot again with"
                    + " this build's snapshot command");
        }
        return imported(data);
    }

    /** The kernel data the agent jar carries, which the snapshot command prices with. */
    static KernelData carriedData() {
        try (InputStream in = SnapshotCommand.class.getResourceAsStream(SnapshotCommand.DEFAULT_DATA)) {
            return KernelData.read(in, SnapshotCommand.DEFAULT_DATA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A replay of {@code data} through its imported classes, generated and loaded here. */
    static Replay imported(KernelData data) {
        return Replay.of(data, new Imported(KernelClasses.of(data).generate()));
    }

    /** The imported classes, defined from memory; the agent weaves them as they are defined. */
    private static final class Imported extends ClassLoader {
        private final Map<String, byte[]> classes;

        Imported(Map<String, byte[]> classes) {
            super(SnapshotWorkload.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name.replace('.', '/'));
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** A chain's replay, outermost first: runs of imported functions and raw areas, then the leaf. */
    sealed interface Step permits Run, Raw, Leaf {

        void run();

        static Step of(Replay replay, Snapshot.Chain chain) {
            List<Frame> outermostFirst = new ArrayList<>(chain.frames());
            java.util.Collections.reverse(outermostFirst);
            boolean sleeps = !outermostFirst.isEmpty()
                    && outermostFirst.get(outermostFirst.size() - 1).kind() == Kind.SWITCH_FRAME;
            return of(replay, outermostFirst, new Leaf(sleeps, SnapshotTable.waitOf(chain), outermostFirst.isEmpty()));
        }

        /** The frames, outermost first, then {@code leaf}. */
        static Step of(Replay replay, List<Frame> outermostFirst, Step leaf) {
            Step next = leaf;
            int end = outermostFirst.size();
            while (end > 0) {
                Frame last = outermostFirst.get(end - 1);
                if (last.function() == null) {
                    next = new Raw(last.bytes(), next);
                    end--;
                    continue;
                }
                int start = end - 1;
                Replay.Chain run = replay.chain(last.function());
                while (start > 0 && outermostFirst.get(start - 1).function() != null) {
                    Replay.Chain longer = tryChain(replay, outermostFirst.subList(start - 1, end));
                    if (longer == null) {
                        break;
                    }
                    run = longer;
                    start--;
                }
                next = new Run(run, next);
                end = start;
            }
            return next;
        }

        /** The run of these functions, if the call graph has every step and keeps every frame. */
        private static Replay.Chain tryChain(Replay replay, List<Frame> frames) {
            String[] names = frames.stream().map(Frame::function).toArray(String[]::new);
            try {
                Replay.Chain chain = replay.chain(names);
                return chain.functions().size() == names.length ? chain : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private record Run(Replay.Chain chain, Step next) implements Step {
        @Override
        public void run() {
            chain.run(next::run);
        }
    }

    /** Bytes with no function of their own, moved unchecked, as entry code and alloca move them. */
    private record Raw(int bytes, Step next) implements Step {
        @Override
        public void run() {
            KernelStack ks = KernelStack.current();
            int saved = ks.enter(bytes);
            try {
                next.run();
            } finally {
                ks.restore(saved);
            }
        }
    }

    /**
     * Where the thread waits: a sleeping thread at its idle point, saying first whether that is a
     * futex or epoll wait, and switched in again when it wakes; a running one without releasing; a
     * thread with an empty listing is in user space, which multiplexing gives no stack.
     */
    record Leaf(boolean sleeps, Wait sleepsIn, boolean inUser) implements Step {
        @Override
        public void run() {
            KernelStack ks = KernelStack.current();
            if (inUser) {
                Kernel.exitToUser();
            }
            if (sleeps) {
                Kernel.waitIn(sleepsIn);
                ks.park();
            }
            Idle.park();
            if (sleeps) {
                ks.wake();
            }
        }
    }
}

package io.dynstack.agent.linux;

import io.dynstack.agent.report.JsonText;
import io.dynstack.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every thread's kernel stack on one machine at one moment, priced with a kernel's frame sizes:
 * what {@code snapshot} writes and the replay workload reads. Threads with the same chain are one
 * {@link Chain} with a thread count.
 *
 * <p>The file is JSON, keys in snake_case, {@code schema_version} {@value #SCHEMA_VERSION}
 * (bumped when a key changes meaning or goes away):
 *
 * <pre>
 * {"schema_version": 1, "format": "dynstack-snapshot",
 *  "machine": {"release": "6.18.44", "cpus": 2, "taken_at": "2026-12-01T21:00:00Z"},
 *  "data": {"release": "6.12.117+deb12-cloud-amd64", "package": "linux-image-...-dbg 6.12.117-1~deb12u1 sha256:..."},
 *  "pricing": {"thread_size": 16384, "kstack_offset": "mean", "kstack_offset_bytes": 508,
 *              "pt_regs_bytes": 168, "switch_frame_bytes": 56, "unpriced_frame_bytes": 8},
 *  "threads_read": 75, "threads_unreadable": 13,
 *  "chains": [{"threads": 13, "kernel_thread": true, "state": "I", "depth_bytes": 600,
 *              "comms": ["kworker/0:0", ...],
 *              "frames": [{"name": "__schedule", "function": "__schedule", "bytes": 120, "kind": "scheduler"}, ...]}]}
 * </pre>
 *
 * <p>Frames are listed innermost first, as {@code /proc/PID/stack} lists them; {@code name} is
 * what /proc printed (offsets stripped) or what was added, {@code function} the data file's row
 * that priced it (null where none did), {@code kind} one of {@link Kind}.
 */
public record Snapshot(Machine machine, Data data, Pricing pricing, int threadsUnreadable, List<Chain> chains) {

    public static final int SCHEMA_VERSION = 1;
    static final String FORMAT = "dynstack-snapshot";
    public static final int PAGE = 4096;

    /** The machine the stacks were read on. */
    public record Machine(String release, int cpus, String takenAt) {
    }

    /** The kernel data file that priced the frames. */
    public record Data(String release, String pkg) {
    }

    /** The rules that priced what /proc leaves out; see {@link StackPricing}. */
    public record Pricing(int threadSize, String kstackOffset, int kstackOffsetBytes, int ptRegsBytes,
                          int switchFrameBytes, int unpricedFrameBytes) {
    }

    /** Where a frame came from. */
    public enum Kind {
        /** Listed by /proc and priced by the data file. */
        LISTED("listed"),
        /** Listed by /proc, but no row of the data file matches: counted as a return address only. */
        UNPRICED("unpriced"),
        /** A scheduler function /proc leaves out below the innermost listed frame. */
        SCHEDULER("scheduler"),
        /** The callee-saved registers and return address that the context switch pushes. */
        SWITCH_FRAME("switch_frame"),
        /** The register save area at the top of the stack. */
        PT_REGS("pt_regs"),
        /** The random offset that syscall entry allocates below do_syscall_64's frame. */
        KSTACK_OFFSET("kstack_offset");

        public final String key;

        Kind(String key) {
            this.key = key;
        }

        static Kind of(String key) {
            for (Kind kind : values()) {
                if (kind.key.equals(key)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public record Frame(String name, String function, int bytes, Kind kind) {
    }

    /**
     * Threads that had the same chain.
     *
     * @param state the state letter from /proc/PID/stat ({@code S}, {@code D}, {@code I}, ...)
     * @param comms the distinct thread names, sorted
     */
    public record Chain(int threads, boolean kernelThread, String state, List<String> comms, List<Frame> frames) {
        public Chain {
            comms = List.copyOf(comms);
            frames = List.copyOf(frames);
        }

        /** Bytes in use below the top of the stack: the sum of the frames. */
        public int depth() {
            int depth = 0;
            for (Frame f : frames) {
                depth += f.bytes();
            }
            return depth;
        }

        /** Whether the thread was in the scheduler, so a design that releases at sleep sees it. */
        public boolean sleeping() {
            return !state.equals("R");
        }
    }

    /** A snapshot file that is not one. */
    public static final class SnapshotException extends IOException {
        public SnapshotException(String message) {
            super(message);
        }
    }

    public Snapshot {
        chains = List.copyOf(chains);
    }

    public int threads() {
        int threads = 0;
        for (Chain c : chains) {
            threads += c.threads();
        }
        return threads;
    }

    /** Pages a design that maps on demand needs for a stack this deep: at least one. */
    public static int pages(int depth) {
        return Math.max(1, (depth + PAGE - 1) / PAGE);
    }

    /** One line each for the machine, the data, the pricing and the counts, and one per chain. */
    public String toJson() {
        Json j = new Json().beginObject().member("schema_version", SCHEMA_VERSION).member("format", FORMAT)
                .newline(0).name("machine").beginObject().member("release", machine.release())
                .member("cpus", machine.cpus()).member("taken_at", machine.takenAt()).endObject()
                .newline(0).name("data").beginObject().member("release", data.release())
                .member("package", data.pkg()).endObject()
                .newline(0).name("pricing").beginObject().member("thread_size", pricing.threadSize())
                .member("kstack_offset", pricing.kstackOffset())
                .member("kstack_offset_bytes", pricing.kstackOffsetBytes())
                .member("pt_regs_bytes", pricing.ptRegsBytes())
                .member("switch_frame_bytes", pricing.switchFrameBytes())
                .member("unpriced_frame_bytes", pricing.unpricedFrameBytes()).endObject()
                .newline(0).member("threads_read", threads()).member("threads_unreadable", threadsUnreadable)
                .newline(0).name("chains").beginArray();
        for (Chain c : chains) {
            j.newline(0).beginObject().member("threads", c.threads()).member("kernel_thread", c.kernelThread())
                    .member("state", c.state()).member("depth_bytes", c.depth()).name("comms").beginArray();
            for (String comm : c.comms()) {
                j.value(comm);
            }
            j.endArray().name("frames").beginArray();
            for (Frame f : c.frames()) {
                j.beginObject().member("name", f.name()).member("function", f.function()).member("bytes", f.bytes())
                        .member("kind", f.kind().key).endObject();
            }
            j.endArray().endObject();
        }
        return j.newline(0).endArray().endObject() + "\n";
    }

    /** Writes through a temporary sibling, so that a failed write leaves no half file. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            // A temporary file is the owner's alone; a snapshot is meant to be passed on and replayed.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Snapshot read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SnapshotException(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SnapshotException(file + ": not a dynstack snapshot (not UTF-8 text); take one with the snapshot command");
        }
        return parse(text, file.toString());
    }

    /** Reads a snapshot's JSON; {@code name} is used in messages. */
    public static Snapshot parse(String text, String name) throws SnapshotException {
        Object root;
        try {
            root = JsonText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(name + ": not a dynstack snapshot (not JSON: " + e.getMessage()
                    + "); take one with the snapshot command");
        }
        Fields top = new Fields(name, "the file", root);
        if (!(root instanceof Map<?, ?> map) || !FORMAT.equals(map.get("format"))) {
            throw new SnapshotException(name + ": not a dynstack snapshot (no \"format\": \"" + FORMAT
                    + "\"); take one with the snapshot command");
        }
        long version = top.number("schema_version");
        if (version != SCHEMA_VERSION) {
            throw new SnapshotException(name + ": snapshot schema_version " + version + ", this dynstack reads "
                    + SCHEMA_VERSION + "; take the snapshot again with this version");
        }
        Fields m = top.object("machine");
        Fields d = top.object("data");
        Fields p = top.object("pricing");
        Machine machine = new Machine(m.string("release"), (int) m.number("cpus"), m.string("taken_at"));
        Data data = new Data(d.string("release"), d.string("package"));
        Pricing pricing = new Pricing((int) p.number("thread_size"), p.string("kstack_offset"),
                (int) p.number("kstack_offset_bytes"), (int) p.number("pt_regs_bytes"),
                (int) p.number("switch_frame_bytes"), (int) p.number("unpriced_frame_bytes"));
        List<Chain> chains = new ArrayList<>();
        List<Fields> items = top.array("chains");
        for (int i = 0; i < items.size(); i++) {
            Fields c = items.get(i);
            List<String> comms = new ArrayList<>();
            for (Fields comm : c.array("comms")) {
                comms.add(comm.asString());
            }
            List<Frame> frames = new ArrayList<>();
            for (Fields f : c.array("frames")) {
                Kind kind = Kind.of(f.string("kind"));
                if (kind == null) {
                    throw new SnapshotException(name + ": chain " + i + ": unknown frame kind '" + f.string("kind") + "'");
                }
                frames.add(new Frame(f.string("name"), f.nullableString("function"), (int) f.number("bytes"), kind));
            }
            Chain chain = new Chain((int) c.number("threads"), c.bool("kernel_thread"), c.string("state"), comms, frames);
            if (chain.depth() != c.number("depth_bytes")) {
                throw new SnapshotException(name + ": chain " + i + ": depth_bytes " + c.number("depth_bytes")
                        + " is not the sum of its frames (" + chain.depth() + "); the file was edited or damaged");
            }
            chains.add(chain);
        }
        Snapshot snapshot = new Snapshot(machine, data, pricing, (int) top.number("threads_unreadable"), chains);
        if (snapshot.threads() != top.number("threads_read")) {
            throw new SnapshotException(name + ": threads_read " + top.number("threads_read")
                    + " is not the sum of the chains' threads (" + snapshot.threads() + "); the file was edited or damaged");
        }
        return snapshot;
    }

    /** One JSON object's members, read with a message naming the file and the member on any mismatch. */
    private record Fields(String file, String where, Object value) {

        private Object member(String key) throws SnapshotException {
            if (!(value instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new SnapshotException(file + ": " + where + " has no \"" + key + "\"");
            }
            return ((Map<?, ?>) value).get(key);
        }

        long number(String key) throws SnapshotException {
            if (member(key) instanceof Long n) {
                return n;
            }
            throw new SnapshotException(file + ": " + where + ": \"" + key + "\" is not a whole number");
        }

        boolean bool(String key) throws SnapshotException {
            if (member(key) instanceof Boolean b) {
                return b;
            }
            throw new SnapshotException(file + ": " + where + ": \"" + key + "\" is not true or false");
        }

        String string(String key) throws SnapshotException {
            if (member(key) instanceof String s) {
                return s;
            }
            throw new SnapshotException(file + ": " + where + ": \"" + key + "\" is not a string");
        }

        String nullableString(String key) throws SnapshotException {
            Object v = member(key);
            return v == null ? null : string(key);
        }

        String asString() throws SnapshotException {
            if (value instanceof String s) {
                return s;
            }
            throw new SnapshotException(file + ": " + where + " is not a string");
        }

        Fields object(String key) throws SnapshotException {
            Object v = member(key);
            if (!(v instanceof Map)) {
                throw new SnapshotException(file + ": " + where + ": \"" + key + "\" is not an object");
            }
            return new Fields(file, "\"" + key + "\"", v);
        }

        List<Fields> array(String key) throws SnapshotException {
            if (!(member(key) instanceof List<?> list)) {
                throw new SnapshotException(file + ": " + where + ": \"" + key + "\" is not an array");
            }
            List<Fields> items = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                items.add(new Fields(file, "\"" + key + "\"[" + i + "]", list.get(i)));
            }
            return items;
        }
    }
}

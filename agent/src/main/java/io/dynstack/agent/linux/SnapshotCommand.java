package io.dynstack.agent.linux;

import io.dynstack.agent.linux.ProcStacks.ProcThread;
import io.dynstack.agent.linux.Snapshot.Chain;
import io.dynstack.agent.linux.Snapshot.Frame;
import io.dynstack.agent.linux.StackPricing.KstackOffset;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code snapshot [--data FILE] [--proc DIR] [--kstack-offset none|mean|worst] [--out FILE] [--deepest N]}
 * reads every thread's kernel stack from /proc (root, Linux), prices it with a kernel data file,
 * prints the RFC's table for this machine and writes the snapshot as JSON;
 * {@code snapshot --from FILE} prints the table of a snapshot taken before, on any machine.
 *
 * <p>Exit status 0, or 2 with one line on stderr for bad arguments, an unreadable /proc, a data
 * file or snapshot that is not one; no file is written then.
 */
public final class SnapshotCommand {

    /** The kernel data the agent jar carries, used when no --data is given. */
    public static final String DEFAULT_DATA = "linux-6.12.117+deb12-cloud-amd64.kframes.gz";
    public static final String USAGE = "usage: java -jar dynstack-agent.jar snapshot [--data FILE] [--proc DIR]"
            + " [--kstack-offset none|mean|worst] [--out FILE] [--deepest N]  |  snapshot --from FILE [--deepest N]";
    static final int BAD_INPUT = 2;

    private SnapshotCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> known = List.of("--data", "--proc", "--kstack-offset", "--out", "--deepest", "--from");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (!known.contains(arg)) {
                return bad(err, "unknown " + (arg.startsWith("-") ? "option" : "argument") + " '" + arg + "'");
            }
            if (i + 1 >= args.length) {
                return bad(err, arg + " needs a value");
            }
            if (options.put(arg, args[++i]) != null) {
                return bad(err, arg + " is given twice");
            }
        }
        int deepest = 3;
        if (options.containsKey("--deepest")) {
            String value = options.get("--deepest");
            if (!value.matches("\\d{1,4}")) {
                return bad(err, "--deepest takes a number of chains, not '" + value + "'");
            }
            deepest = Integer.parseInt(value);
        }
        if (options.containsKey("--from")) {
            for (String other : List.of("--data", "--proc", "--kstack-offset", "--out")) {
                if (options.containsKey(other)) {
                    return bad(err, "--from prints a saved snapshot and takes no " + other);
                }
            }
            try {
                out.print(SnapshotTable.format(Snapshot.read(Path.of(options.get("--from"))), deepest));
                return 0;
            } catch (IOException e) {
                return failed(err, e);
            }
        }
        KstackOffset offset = KstackOffset.MEAN;
        if (options.containsKey("--kstack-offset")) {
            try {
                offset = KstackOffset.valueOf(options.get("--kstack-offset").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return bad(err, "--kstack-offset takes none, mean or worst, not '" + options.get("--kstack-offset") + "'");
            }
        }
        Path target = Path.of(options.getOrDefault("--out", "dynstack-snapshot.json"));
        String unwritable = unwritable(target);
        if (unwritable != null) {
            return bad(err, "--out " + target + ": " + unwritable);
        }
        try {
            KernelData data = data(options.get("--data"));
            Path proc = Path.of(options.getOrDefault("--proc", "/proc"));
            Snapshot snapshot = take(ProcStacks.read(proc), data, offset, Instant.now());
            out.print(SnapshotTable.format(snapshot, deepest));
            snapshot.write(target);
            out.println("written: " + target);
            return 0;
        } catch (IOException e) {
            return failed(err, e);
        }
    }

    /** Prices every thread of a reading and groups threads with the same chain. */
    static Snapshot take(ProcStacks.Reading reading, KernelData data, KstackOffset offset, Instant at) {
        StackPricing pricing = new StackPricing(data, offset);
        record Key(boolean kernelThread, String state, List<Frame> frames) {
        }
        Map<Key, List<ProcThread>> groups = new LinkedHashMap<>();
        for (ProcThread t : reading.threads()) {
            Key key = new Key(t.kernelThread(), t.state(), pricing.price(t.lines()));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        }
        List<Chain> chains = new ArrayList<>();
        groups.forEach((key, threads) -> {
            TreeSet<String> comms = new TreeSet<>();
            threads.forEach(t -> comms.add(t.comm()));
            chains.add(new Chain(threads.size(), key.kernelThread(), key.state(), List.copyOf(comms), key.frames()));
        });
        chains.sort(Comparator.comparingInt(Chain::depth).reversed().thenComparing(Chain::threads, Comparator.reverseOrder())
                .thenComparing(c -> c.comms().isEmpty() ? "" : c.comms().get(0)));
        Snapshot.Machine machine = new Snapshot.Machine(reading.release(), reading.cpus(),
                at.truncatedTo(ChronoUnit.SECONDS).toString());
        return new Snapshot(machine, new Snapshot.Data(data.header().release(), data.header().pkg()), pricing.pricing(),
                reading.unreadable().size(), chains);
    }

    private static KernelData data(String file) throws IOException {
        if (file != null) {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new KernelData.FormatException(file + ": no such kernel data file");
            }
            return KernelData.read(path);
        }
        try (InputStream in = SnapshotCommand.class.getResourceAsStream(DEFAULT_DATA)) {
            if (in == null) {
                throw new KernelData.FormatException("this agent jar carries no kernel data (" + DEFAULT_DATA
                        + "); give one with --data FILE");
            }
            return KernelData.read(in, DEFAULT_DATA);
        }
    }

    /** Why the snapshot could not be written there, found out before /proc is read; null if it can. */
    private static String unwritable(Path target) {
        if (Files.isDirectory(target)) {
            return "is a directory; name a file";
        }
        Path existing = target.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return "its directory cannot be made (" + existing + " is not a directory)";
        }
        return Files.isWritable(existing) ? null : existing + " is not writable";
    }

    private static int failed(PrintStream err, IOException e) {
        err.println("dynstack snapshot: " + e.getMessage());
        return BAD_INPUT;
    }

    private static int bad(PrintStream err, String message) {
        err.println("dynstack snapshot: " + message + "; " + USAGE);
        return BAD_INPUT;
    }
}

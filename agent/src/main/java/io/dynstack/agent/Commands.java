package io.dynstack.agent;

import io.dynstack.agent.analyze.AnalyzeCommand;
import io.dynstack.agent.linux.ExtractCommand;
import io.dynstack.agent.linux.ImportCommand;
import io.dynstack.agent.linux.LinuxResults;
import io.dynstack.agent.linux.SnapshotCommand;
import io.dynstack.agent.report.ReportCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The agent jar's command line: {@code java -jar dynstack-agent.jar <command> [args]}. Each command
 * is one entry here: its name, one line on what it does, and how it runs.
 */
final class Commands {

    /** A command: takes its arguments (after its name) and returns the exit status. */
    interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    /** {@code inWorkloadsJar}: the command runs from the workloads jar, see {@link WorkloadsJar}. */
    private record Entry(String summary, Command command, boolean inWorkloadsJar) {
        Entry(String summary, Command command) {
            this(summary, command, false);
        }
    }

    private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("analyze", new Entry("static analysis of kernel classes: frames, chains, check placement",
                AnalyzeCommand::run));
        COMMANDS.put("extract", new Entry("read a vmlinux's frames and call graph into a kernel data file",
                ExtractCommand::run));
        COMMANDS.put("import", new Entry("a kernel's frames and call graph as kernel classes in a jar", ImportCommand::run));
        COMMANDS.put("linux-results", new Entry("checks against the threshold in a real kernel, on both bases",
                LinuxResults::run));
        COMMANDS.put("snapshot", new Entry("every thread's kernel stack from /proc, priced with real frames: the RFC's table",
                SnapshotCommand::run));
        COMMANDS.put("report", new Entry("the HTML page, per-method CSV and flame-graph stacks of a report or comparison",
                ReportCommand::run));
        // The comparison's parent process reads snapshots with the agent's linux classes, so it has the agent jar too.
        COMMANDS.put("compare", new Entry("every workload, or a population file, under every stack design, a JVM per cell ("
                + WorkloadsJar.NAME + ")", WorkloadsJar.command("compare", "io.dynstack.workloads.Compare", true), true));
        COMMANDS.put("sweep", new Entry("JMH: each benchmark chain's time, checks and faults against the threshold ("
                + WorkloadsJar.NAME + ")", WorkloadsJar.command("sweep", "io.dynstack.workloads.bench.Sweep", false),
                true));
    }

    private Commands() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("dynstack: no command given; " + usageLine());
            return 2;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return 0;
        }
        Entry entry = COMMANDS.get(args[0]);
        if (entry == null) {
            err.println("dynstack: unknown command '" + args[0] + "'; " + usageLine());
            return 2;
        }
        return entry.command().run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }

    /** The command names, in the order --help lists them. */
    static Set<String> names() {
        return Collections.unmodifiableSet(COMMANDS.keySet());
    }

    /** The commands the agent jar runs itself, without the workloads jar. */
    static Set<String> agentNames() {
        Set<String> names = new LinkedHashSet<>();
        COMMANDS.forEach((name, entry) -> {
            if (!entry.inWorkloadsJar()) {
                names.add(name);
            }
        });
        return names;
    }

    private static String usageLine() {
        return "commands: " + String.join(", ", COMMANDS.keySet()) + " (java -jar dynstack-agent.jar --help)";
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar dynstack-agent.jar <command> [--help | args]");
        out.println("       java -javaagent:dynstack-agent.jar=OPTIONS ... (see the README)");
        out.println();
        for (Map.Entry<String, Entry> e : COMMANDS.entrySet()) {
            out.printf("  %-13s %s%n", e.getKey(), e.getValue().summary());
        }
        out.println();
        out.println("compare and sweep run from " + WorkloadsJar.NAME + ", next to this jar or in the build's"
                + " sample-workloads/target.");
    }
}

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

    private record Entry(String summary, Command command) {
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

    private static String usageLine() {
        return "commands: " + String.join(", ", COMMANDS.keySet()) + " (java -jar dynstack-agent.jar --help)";
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar dynstack-agent.jar <command> [--help | args]");
        out.println("       java -javaagent:dynstack-agent.jar=OPTIONS ... (see the README)");
        out.println();
        for (Map.Entry<String, Entry> e : COMMANDS.entrySet()) {
            out.printf("  %-10s %s%n", e.getKey(), e.getValue().summary());
        }
    }
}

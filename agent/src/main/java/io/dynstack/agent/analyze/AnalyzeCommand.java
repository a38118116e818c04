package io.dynstack.agent.analyze;

import io.dynstack.agent.AgentOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code analyze <jar|dir|classpath> [--kernel GLOBS] [--threshold N|none] [--margin M] [--json]}.
 * Values are checked by the agent's own option rules, so {@code --threshold 2k} means what
 * {@code threshold=2k} means to the agent. A bad argument is one line on stderr and exit status 2.
 */
public final class AnalyzeCommand {

    public static final String USAGE = "usage: java -jar dynstack-agent.jar analyze <jar|dir|classpath>"
            + " [--kernel GLOBS] [--threshold N|none] [--margin M] [--json]";

    private AnalyzeCommand() {
    }

    /** Runs the command on {@code args} (after the word {@code analyze}); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        boolean json = false;
        List<String> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--json" -> json = true;
                case "--kernel", "--threshold", "--margin" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        return bad(err, arg + " needs a value");
                    }
                    String key = arg.substring(2);
                    if (options.stream().anyMatch(o -> o.startsWith(key + "="))) {
                        return bad(err, arg + " is given twice");
                    }
                    options.add(key + "=" + args[++i]);
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return bad(err, "unknown option '" + arg + "'");
                    }
                    if (input != null) {
                        return bad(err, "give one input (jars and directories joined with '"
                                + java.io.File.pathSeparator + "'), not both '" + input + "' and '" + arg + "'");
                    }
                    input = arg;
                }
            }
        }
        if (input == null) {
            return bad(err, "no input: name a jar, a directory of classes or a class path");
        }
        AgentOptions parsed;
        try {
            parsed = AgentOptions.parse(String.join(",", options));
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage().replace("option '", "option '--"));
        }
        long margin = parsed.has(AgentOptions.MARGIN) ? parsed.size(AgentOptions.MARGIN, 0) : -1;
        List<ClassInput.ClassFile> files;
        try {
            files = ClassInput.read(input);
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage());
        }
        Analysis analysis = Analysis.run(files,
                new Analysis.Options(parsed.kernelGlobs(), parsed.threshold(), margin));
        if (analysis.kernelClasses().isEmpty()) {
            return bad(err, "no kernel classes among the " + analysis.classesRead() + " classes in '" + input
                    + "': give --kernel GLOBS (e.g. com.acme.kernel.**) or mark classes @KernelCode");
        }
        if (json) {
            JsonReport.print(analysis, out);
        } else {
            TextReport.print(analysis, out);
        }
        return 0;
    }

    private static int bad(PrintStream err, String message) {
        err.println("dynstack analyze: " + message + "; " + USAGE);
        return 2;
    }
}

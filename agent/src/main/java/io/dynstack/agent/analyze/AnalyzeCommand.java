package io.dynstack.agent.analyze;

import io.dynstack.agent.AgentOptions;
import io.dynstack.agent.weave.WeaveConfig;
import java.io.File;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code analyze <jar|dir|classpath> [--kernel GLOBS] [--threshold N|none] [--threshold-basis frame|locals]
 * [--margin M] [--json]}.
 * Values are parsed by the agent's own options ({@link AgentOptions.Option}), so
 * {@code --threshold 2k} means what {@code threshold=2k} means to the agent.
 *
 * <p>Exit status: 0 when every class file was analysed; 1 when the report is complete for what
 * could be read but some class files were not (each named on one stderr line): the bound then
 * covers only the rest; 2 for a bad argument or an input with nothing to analyse (one stderr line,
 * no report).
 */
public final class AnalyzeCommand {

    public static final String USAGE = "usage: java -jar dynstack-agent.jar analyze <jar|dir|classpath>"
            + " [--kernel GLOBS] [--threshold N|none] [--threshold-basis frame|locals] [--margin M] [--json]";

    private AnalyzeCommand() {
    }

    /** Exit status when class files were skipped: the report covers the rest. */
    public static final int SKIPPED = 1;
    /** Exit status for a bad argument or nothing to analyse. */
    public static final int BAD_ARGUMENTS = 2;

    /** Runs the command on {@code args} (after the word {@code analyze}); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        boolean json = false;
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--json" -> json = true;
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--kernel", "--threshold", "--threshold-basis", "--margin" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        return bad(err, arg + " needs a value");
                    }
                    if (given.put(arg, args[i + 1].trim()) != null) {
                        return bad(err, arg + " is given twice");
                    }
                    i++;
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return bad(err, "unknown option '" + arg + "'");
                    }
                    if (input != null) {
                        return bad(err, "give one input (jars and directories joined with '"
                                + File.pathSeparator + "'), not both '" + input + "' and '" + arg + "'");
                    }
                    input = arg;
                }
            }
        }
        if (input == null) {
            return bad(err, "no input: name a jar, a directory of classes or a class path");
        }
        List<String> kernel;
        int threshold;
        WeaveConfig.Basis basis;
        long margin;
        try {
            kernel = AgentOptions.KERNEL.valueOf(given.get("--kernel"), "--kernel");
            threshold = AgentOptions.THRESHOLD.valueOf(given.get("--threshold"), "--threshold");
            basis = AgentOptions.THRESHOLD_BASIS.valueOf(given.get("--threshold-basis"), "--threshold-basis");
            // No margin, no placement: the option's default of 0 would place checks for a bound of 0.
            margin = given.containsKey("--margin") ? AgentOptions.MARGIN.parse(given.get("--margin"), "--margin") : -1;
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage());
        }
        List<ClassInput.ClassFile> files;
        try {
            files = ClassInput.read(input);
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage());
        }
        if (files.isEmpty()) {
            return bad(err, "no class files in '" + input + "'");
        }
        Analysis analysis = Analysis.run(files,
                new Analysis.Options(kernel == null ? List.of() : kernel, threshold, margin, basis));
        for (Analysis.Skipped s : analysis.skipped()) {
            err.println("dynstack analyze: skipped " + s.origin() + ": " + s.reason());
        }
        if (analysis.kernelClasses().isEmpty()) {
            return bad(err, "no kernel classes among the " + analysis.classesRead() + " classes in '" + input
                    + "': give --kernel GLOBS (e.g. com.acme.kernel.**) or mark classes @KernelCode");
        }
        if (json) {
            JsonReport.print(analysis, out);
        } else {
            TextReport.print(analysis, out);
        }
        return analysis.skipped().isEmpty() ? 0 : SKIPPED;
    }

    private static int bad(PrintStream err, String message) {
        err.println("dynstack analyze: " + message + "; " + USAGE);
        return BAD_ARGUMENTS;
    }
}

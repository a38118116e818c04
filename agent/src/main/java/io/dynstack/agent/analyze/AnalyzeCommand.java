package io.dynstack.agent.analyze;

import io.dynstack.agent.AgentOptions;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code analyze <jar|dir|classpath> [--kernel GLOBS] [--threshold N|none] [--threshold-basis frame|locals]
 * [--margin M] [--json]}.
 * Values are checked by the agent's own option rules, so {@code --threshold 2k} means what
 * {@code threshold=2k} means to the agent.
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
        List<String> options = new ArrayList<>();
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
                    String key = arg.substring(2).replace('-', '_');
                    String value = args[i + 1];
                    // A comma would let the value smuggle in another agent option.
                    if (value.contains(",")) {
                        return bad(err, "bad value '" + value + "' for option '" + arg + "': expected "
                                + AgentOptions.expected(key));
                    }
                    if (options.stream().anyMatch(o -> o.startsWith(key + "="))) {
                        return bad(err, arg + " is given twice");
                    }
                    options.add(key + "=" + value);
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
        AgentOptions parsed;
        try {
            parsed = AgentOptions.parse(String.join(",", options));
        } catch (IllegalArgumentException e) {
            return bad(err, e.getMessage().replace("option '", "option '--")
                    .replace("'--" + AgentOptions.THRESHOLD_BASIS + "'", "'--threshold-basis'"));
        }
        long margin = parsed.has(AgentOptions.MARGIN) ? parsed.size(AgentOptions.MARGIN, 0) : -1;
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
                new Analysis.Options(parsed.kernelGlobs(), parsed.threshold(), margin, parsed.thresholdBasis()));
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

package io.dynstack.agent.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report <file.json> [--out DIR]}: the HTML page of an agent report (with its per-method CSV
 * and collapsed stacks) or of a comparison, from the JSON alone.
 *
 * <p>Exit status: 0 when written; 2 for a bad argument or a file that is not a dynstack report or
 * comparison; {@link #PANICKED} when the files are written and the report records a panic, so that
 * a script can tell a run that panicked from one that did not.
 */
public final class ReportCommand {

    public static final String USAGE = """
            usage: java -jar dynstack-agent.jar report <report.json|comparison.json> [--out DIR]
              an agent report (report=FILE) gives NAME.html, NAME-methods.csv, NAME-stacks.collapsed
              (every stack's deepest chain) and NAME-deepest.collapsed (the run's deepest chain);
              a comparison gives NAME.html, with NAME.svg inside when there is one next to it.
              --out DIR   where the files go (default: next to the JSON)
            exit status: 0 written, 2 bad argument or input, 3 written and the report records a panic""";

    /** Exit status when the files were written and the run they describe panicked. */
    public static final int PANICKED = 3;
    private static final int BAD = 2;

    private ReportCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path input = null;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (arg.equals("--out")) {
                if (i + 1 >= args.length) {
                    return bad(err, "--out needs a directory");
                }
                if (dir != null) {
                    return bad(err, "--out is given twice");
                }
                dir = Path.of(args[++i]);
            } else if (arg.startsWith("-")) {
                return bad(err, "unknown option '" + arg + "'");
            } else if (input != null) {
                return bad(err, "one JSON file at a time, not '" + input + "' and '" + arg + "'");
            } else {
                input = Path.of(arg);
            }
        }
        if (input == null) {
            return bad(err, "no JSON file given");
        }
        if (!Files.isRegularFile(input)) {
            return bad(err, "no file " + input);
        }
        try {
            String text = Files.readString(input, StandardCharsets.UTF_8);
            Map<String, Object> json = ReportFiles.cast(JsonText.parse(text));
            String name = input.getFileName().toString().replaceFirst("\\.json$", "");
            Path target = dir != null ? dir : input.toAbsolutePath().getParent();
            Files.createDirectories(target);
            List<Path> written = new ArrayList<>();
            boolean panicked = false;
            if (json.containsKey("cells")) {
                Path svg = input.resolveSibling(name + ".svg");
                String chart = Files.isRegularFile(svg) ? Files.readString(svg, StandardCharsets.UTF_8) : null;
                written.add(write(target.resolve(name + ".html"), ReportFiles.comparisonHtml(text, chart)));
            } else if (json.containsKey("methods") && json.containsKey("config")) {
                written.add(write(target.resolve(name + ".html"), ReportFiles.reportHtml(text)));
                written.add(write(target.resolve(name + "-methods.csv"), ReportFiles.methodsCsv(json)));
                written.add(write(target.resolve(name + "-stacks.collapsed"), ReportFiles.stacksCollapsed(json)));
                written.add(write(target.resolve(name + "-deepest.collapsed"), ReportFiles.deepestCollapsed(json)));
                panicked = json.get("panics") instanceof Long n && n > 0;
            } else {
                return bad(err, input + " is neither an agent report (report=FILE) nor a comparison (comparison.json)");
            }
            for (Path p : written) {
                out.println("written: " + p);
            }
            if (panicked) {
                err.println("dynstack report: the run panicked " + json.get("panics") + " time(s); see the oops on its stderr");
                return PANICKED;
            }
            return 0;
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            return bad(err, input + " is not a dynstack report or comparison: " + e.getMessage());
        } catch (IOException e) {
            return bad(err, "cannot read " + input + " or write its files: " + e.getMessage());
        }
    }

    private static Path write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static int bad(PrintStream err, String problem) {
        err.println("dynstack report: " + problem + "; java -jar dynstack-agent.jar report --help");
        return BAD;
    }
}

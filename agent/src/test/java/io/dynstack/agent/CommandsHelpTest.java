package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --help} at every level of the jar's command line: status 0, the usage on stdout, nothing on stderr. */
class CommandsHelpTest {

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Commands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theJarsHelpListsEveryCommand() {
        Result r = run("--help");
        assertEquals(0, r.status());
        assertEquals("", r.err());
        for (String command : Commands.names()) {
            assertTrue(r.out().contains("\n  " + command + " "), command + " missing from\n" + r.out());
        }
    }

    @Test
    void everyCommandsHelpExitsZeroWithItsUsageAndOptions() {
        Pattern option = Pattern.compile("--[a-z][a-z-]*");
        // compare and sweep need the workloads jar: CommandLineIT runs their --help through the built jars.
        for (String command : Commands.agentNames()) {
            Result r = run(command, "--help");
            assertEquals(0, r.status(), command + " --help");
            assertEquals("", r.err(), command + " --help writes nothing on stderr");
            assertTrue(r.out().toLowerCase(Locale.ROOT).contains("usage"), command + " --help:\n" + r.out());
            Matcher m = option.matcher(r.out());
            assertTrue(m.find(), command + " --help names its options:\n" + r.out());
        }
    }

    @Test
    void theReportCommandsHelpListsItsOption() {
        assertTrue(run("report", "--help").out().contains("--out DIR"));
    }
}

package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynstack.agent.AgentOptions.LogTarget;
import io.dynstack.agent.AgentOptions.Verbosity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the agent's messages go: one stderr line each by default, or System.Logger with log=system. */
class LogTest {

    private final PrintStream stderr = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    /** java.util.logging is the System.Logger backend of a plain JVM. */
    private final Logger backend = Logger.getLogger(Log.LOGGER_NAME);
    private final List<String> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        System.setErr(new PrintStream(captured, true));
        backend.setUseParentHandlers(false);
        backend.addHandler(handler);
        backend.setLevel(Level.ALL);
    }

    @AfterEach
    void restore() {
        System.setErr(stderr);
        backend.removeHandler(handler);
        backend.setUseParentHandlers(true);
        backend.setLevel(null);
        Log.configure(Verbosity.OFF, LogTarget.STDERR);
    }

    private List<String> stderrLines() {
        return captured.toString().lines().toList();
    }

    private static void oneOfEach() {
        Log.error("cannot weave a.B");
        Log.info("wove a.C");
        Log.debug("  a.C.f()V frame 32");
    }

    @Test
    void byDefaultEachMessageIsOneStderrLineAndVerboseChoosesWhich() {
        Log.configure(Verbosity.INFO, LogTarget.STDERR);
        oneOfEach();
        assertEquals(List.of("dynstack: cannot weave a.B", "dynstack: wove a.C"), stderrLines());
        assertEquals(List.of(), records, "no logging backend is involved");
    }

    @Test
    void withVerboseOffOnlyErrorsAreShown() {
        Log.configure(Verbosity.OFF, LogTarget.STDERR);
        oneOfEach();
        assertEquals(List.of("dynstack: cannot weave a.B"), stderrLines());
    }

    @Test
    void logSystemSendsMessagesToTheIoDynstackLoggerAtTheirLevel() {
        Log.configure(Verbosity.DEBUG, LogTarget.SYSTEM);
        oneOfEach();
        assertEquals(List.of("SEVERE cannot weave a.B", "INFO wove a.C", "FINE   a.C.f()V frame 32"), records,
                "System.Logger's ERROR, INFO and DEBUG as java.util.logging levels");
        assertEquals(List.of(), stderrLines());
    }

    @Test
    void logSystemStillSendsOnlyWhatVerboseAllows() {
        Log.configure(Verbosity.OFF, LogTarget.SYSTEM);
        oneOfEach();
        assertEquals(List.of("SEVERE cannot weave a.B"), records);
    }

    @Test
    void anErrorTheBackendWouldDropGoesToStderr() {
        backend.setLevel(Level.OFF);
        Log.configure(Verbosity.DEBUG, LogTarget.SYSTEM);
        oneOfEach();
        assertEquals(List.of(), records);
        assertEquals(List.of("dynstack: cannot weave a.B"), stderrLines(), "info and debug are the backend's to drop");
    }

    @Test
    void theLogOptionAcceptsStderrAndSystem() {
        assertEquals(LogTarget.STDERR, AgentOptions.parse("").logTarget());
        assertEquals(LogTarget.SYSTEM, AgentOptions.parse("log=system").logTarget());
        assertEquals(LogTarget.STDERR, AgentOptions.parse("log=STDERR").logTarget());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("log=file"));
        assertEquals("bad value 'file' for option 'log': expected stderr or system (System.getLogger(\"io.dynstack\"))",
                e.getMessage());
    }
}

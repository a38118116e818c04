package io.dynstack.agent;

import java.lang.System.Logger.Level;

/**
 * The agent's messages. {@code verbose=} chooses which ones the agent emits; {@code log=} where
 * they go:
 *
 * <ul>
 *   <li>{@code stderr} (the default): one line each, prefixed {@code dynstack: } so that they stand
 *       out from the host's output, with no logging framework involved;</li>
 *   <li>{@code system}: {@code System.getLogger("io.dynstack")}, so that the host's backend (java.util.logging
 *       by default, or any {@code System.LoggerFinder}) formats, filters and stores them.</li>
 * </ul>
 *
 * <p>Errors are never lost: one the backend would not log goes to stderr as well. The logger is
 * looked up at the first message, not in premain, so that the backend is not initialised before
 * the host has had the chance to configure it (or at all, if nothing is logged). Messages before
 * the options are parsed go to stderr, since {@code log=} is not known yet.
 */
final class Log {

    static final String LOGGER_NAME = "io.dynstack";

    private static volatile AgentOptions.Verbosity level = AgentOptions.Verbosity.OFF;
    private static volatile AgentOptions.LogTarget target = AgentOptions.LogTarget.STDERR;
    private static volatile System.Logger logger;

    private Log() {
    }

    static void configure(AgentOptions.Verbosity verbosity, AgentOptions.LogTarget destination) {
        level = verbosity;
        target = destination;
    }

    static boolean info() {
        return level.compareTo(AgentOptions.Verbosity.INFO) >= 0;
    }

    static boolean debug() {
        return level == AgentOptions.Verbosity.DEBUG;
    }

    /** Problems are always shown: a user must never lose one silently. */
    static void error(String message) {
        emit(Level.ERROR, message);
    }

    static void info(String message) {
        if (info()) {
            emit(Level.INFO, message);
        }
    }

    static void debug(String message) {
        if (debug()) {
            emit(Level.DEBUG, message);
        }
    }

    private static void emit(Level severity, String message) {
        if (target == AgentOptions.LogTarget.SYSTEM) {
            System.Logger system = system();
            if (system.isLoggable(severity)) {
                system.log(severity, message);
                return;
            }
            if (severity != Level.ERROR) {
                return;
            }
        }
        System.err.println("dynstack: " + message);
    }

    private static System.Logger system() {
        System.Logger system = logger;
        if (system == null) {
            system = System.getLogger(LOGGER_NAME);
            logger = system;
        }
        return system;
    }
}

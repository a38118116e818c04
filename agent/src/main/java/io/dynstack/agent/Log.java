package io.dynstack.agent;

/** The agent's messages: one line each on stderr, prefixed so they stand out from the host's output. */
final class Log {

    private static volatile AgentOptions.Verbosity level = AgentOptions.Verbosity.OFF;

    private Log() {
    }

    static void level(AgentOptions.Verbosity verbosity) {
        level = verbosity;
    }

    static boolean info() {
        return level.compareTo(AgentOptions.Verbosity.INFO) >= 0;
    }

    static boolean debug() {
        return level == AgentOptions.Verbosity.DEBUG;
    }

    /** Problems are always shown: a user must never lose one silently. */
    static void error(String message) {
        System.err.println("dynstack: " + message);
    }

    static void info(String message) {
        if (info()) {
            System.err.println("dynstack: " + message);
        }
    }

    static void debug(String message) {
        if (debug()) {
            System.err.println("dynstack: " + message);
        }
    }
}

package io.dynstack.agent;

import io.dynstack.agent.weave.WeaveConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The agent's options, {@code key=value} separated by commas, parsed and checked in one place.
 * Sizes are bytes, or KiB with a {@code k} suffix. Any unknown key or bad value is an
 * {@link IllegalArgumentException} whose message is one line naming the key and what it accepts.
 */
public final class AgentOptions {

    /**
     * One option: its key, its default, what it accepts (as its errors and the README say it) and
     * how its value parses, in one place.
     *
     * @param <T> the parsed value's type
     */
    public static final class Option<T> {
        private final String key;
        private final String defaultValue;
        private final String noDefault;
        private final String accepts;
        private final Function<String, T> parser;

        /**
         * @param defaultValue the value that stands when the option is not given, spelled as a user
         *                     would give it; null when there is none or it follows from other options
         * @param noDefault    what the README says in place of a default when there is none
         * @param parser       the value for a given text, or null when the text is not accepted
         */
        private Option(String key, String defaultValue, String noDefault, String accepts, Function<String, T> parser) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.noDefault = noDefault;
            this.accepts = accepts;
            this.parser = parser;
        }

        public String key() {
            return key;
        }

        /** What the option accepts, as its errors say it. */
        public String accepts() {
            return accepts;
        }

        /** The README's Default column: the default in code quotes, or what stands in for it. */
        public String shownDefault() {
            return defaultValue == null ? noDefault : "`" + defaultValue + "`";
        }

        /**
         * {@code value} parsed; one line naming the option as {@code name} (the agent's key, or a
         * command's flag) and what it accepts when the value is empty or not accepted.
         */
        public T parse(String value, String name) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("option '" + name + "' has no value: expected " + accepts);
            }
            T parsed = parser.apply(value);
            if (parsed == null) {
                throw new IllegalArgumentException("bad value '" + value + "' for option '" + name + "': expected "
                        + accepts);
            }
            return parsed;
        }

        /** {@code given} parsed as {@link #parse} does; the default when null, itself null when there is none. */
        public T valueOf(String given, String name) {
            return given != null ? parse(given, name) : defaultValue == null ? null : parse(defaultValue, key);
        }
    }

    private static final Pattern SPLIT = Pattern.compile(",(?=[a-zA-Z0-9_\\-]+=)");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_$.*?]+");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})([kK]?)");

    /** Every option, in the order the README lists them. */
    private static final List<Option<?>> TABLE = new ArrayList<>();

    public static final Option<List<String>> KERNEL = option("kernel", null, "(none)",
            "class-name globs separated by ':', e.g. com.acme.kernel.**", AgentOptions::globs);
    public static final Option<List<String>> EXCLUDES = option("excludes", null, "(none)",
            "class-name globs separated by ':' never woven, even when kernel= or @KernelCode says so",
            AgentOptions::globs);
    public static final Option<Integer> THRESHOLD = option("threshold",
            Integer.toString(WeaveConfig.DEFAULT_THRESHOLD), null,
            "a frame size in bytes (0 checks every method) or 'none'",
            v -> v.equalsIgnoreCase("none") ? (Integer) WeaveConfig.NO_CHECKS : bytes(v));
    public static final Option<WeaveConfig.Basis> THRESHOLD_BASIS = option("threshold_basis", "frame", null,
            "frame (the whole frame, the default) or locals (its locals part, as STACKLEAK compares)",
            WeaveConfig.Basis::parse);
    public static final Option<Integer> THREAD_SIZE = option("thread_size", "16k", null,
            "bytes or KiB (16k), a multiple of page", AgentOptions::bytes);
    public static final Option<Integer> INITIAL = option("initial", null, "one page",
            "bytes or KiB mapped at stack creation, a multiple of page, at most thread_size", AgentOptions::bytes);
    public static final Option<Integer> PAGE = option("page", "4k", null, "a power of two in bytes or KiB (4k)",
            AgentOptions::bytes);
    public static final Option<Integer> MARGIN = option("margin", "0", null,
            "bytes a check keeps mapped below the new frame, 0 or more", AgentOptions::bytes);
    public static final Option<String> FAULT = option("fault", "panic", null, "panic or grow",
            v -> choice(v, "panic", "grow"));
    public static final Option<Integer> CPUS = option("cpus", "1", null, "simulated CPUs, 1 to 65536",
            v -> v.matches("\\d{1,5}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 65_536
                    ? Integer.parseInt(v) : null);
    public static final Option<Integer> RESERVE = option("reserve", "off", null,
            "pages per CPU for growth in @NoSleep code, or off",
            v -> v.equalsIgnoreCase("off") ? (Integer) (-1) : v.matches("\\d{1,5}") ? Integer.parseInt(v) : null);
    public static final Option<Boolean> RELEASE_AT_PARK = flag("release_at_park", false, "true or false");
    public static final Option<Boolean> IRQ_STACKS = flag("irq_stacks", false, "true or false");
    public static final Option<String> IDLE = option("idle", "keep", null,
            "keep, release (futex and epoll sleepers give back the whole stack) or multiplex"
                    + " (a stack from kernel entry to the return to user)",
            v -> choice(v, "keep", "release", "multiplex"));
    public static final Option<String> RECLAIM = option("reclaim", "off", null,
            "off, switch or shrinker: reclaim never-touched pages of switched-out threads",
            v -> choice(v, "off", "switch", "shrinker"));
    public static final Option<Integer> SPARES = option("spares", "off", null,
            "spare pages per CPU that every growth takes, refilled at switch out, or off", v -> pages(v, "off"));
    public static final Option<Integer> STASH = option("stash", "0", null,
            "pages of the global stash behind a lock that growth falls back to, with spares", v -> pages(v, null));
    public static final Option<Integer> FREE_PAGES = option("free_pages", "unlimited", null,
            "free pages the machine has for stack memory once stacks exist, or unlimited",
            v -> pages(v, "unlimited"));
    public static final Option<Boolean> EXPAND = flag("expand", true,
            "true or false: whether @ExpandStack methods call expand_stack");
    public static final Option<OnPanic> ON_PANIC = option("on_panic", "throw", null,
            "throw (KernelPanic, an Error) or halt (print the oops, write the report, halt the JVM)",
            v -> named(OnPanic.values(), v));
    public static final Option<String> REPORT = option("report", null, "(none)",
            "a file path for the JSON report written at exit", v -> v);
    public static final Option<Verbosity> VERBOSE = option("verbose", "off", null, "off, info or debug",
            v -> named(Verbosity.values(), v));
    public static final Option<LogTarget> LOG = option("log", "stderr", null,
            "stderr or system (System.getLogger(\"io.dynstack\"))", v -> named(LogTarget.values(), v));
    public static final Option<Integer> GUARANTEE = option("guarantee", null, "(none)",
            "bytes or KiB: extra checks so that woven code cannot fault, and margin at least this",
            AgentOptions::bytes);
    public static final Option<Boolean> JMX = flag("jmx", false,
            "true or false: register the io.dynstack:type=Kernel MBean at start-up");
    public static final Option<Boolean> METHODS = flag("methods", true,
            "true or false: count entries and the deepest depth per method (a cost on every entry)");

    /** Every key with its option, in the order the README lists them. */
    private static final Map<String, Option<?>> KEYS = new LinkedHashMap<>();

    static {
        for (Option<?> o : TABLE) {
            KEYS.put(o.key(), o);
        }
    }

    /**
     * The order in which given values are checked, so that of several bad options the same one is
     * named first as before the table existed.
     */
    private static final List<Option<?>> CHECK_ORDER = List.of(KERNEL, EXCLUDES, THRESHOLD, THRESHOLD_BASIS, VERBOSE,
            LOG, FAULT, CPUS, RESERVE, ON_PANIC, IDLE, RECLAIM, SPARES, STASH, FREE_PAGES);
    private static final List<Option<?>> CHECK_ORDER_LATE = List.of(RELEASE_AT_PARK, IRQ_STACKS, EXPAND, JMX, METHODS);
    private static final List<Option<?>> CHECK_ORDER_SIZES = List.of(THREAD_SIZE, INITIAL, PAGE, MARGIN, GUARANTEE);

    private static <T> Option<T> option(String key, String defaultValue, String noDefault, String accepts,
                                        Function<String, T> parser) {
        Option<T> o = new Option<>(key, defaultValue, noDefault, accepts, parser);
        TABLE.add(o);
        return o;
    }

    private static Option<Boolean> flag(String key, boolean defaultValue, String accepts) {
        return option(key, Boolean.toString(defaultValue), null, accepts,
                v -> v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : null);
    }

    /** Every option, in the order the README lists them. */
    public static List<Option<?>> table() {
        return List.copyOf(TABLE);
    }

    /** Log levels of {@code verbose=}. */
    public enum Verbosity { OFF, INFO, DEBUG }

    /** Where {@code log=} sends the agent's messages. */
    public enum LogTarget { STDERR, SYSTEM }

    /** What the simulated kernel does on panic ({@code on_panic=}). */
    public enum OnPanic { THROW, HALT }

    private final Map<String, String> values;

    private AgentOptions(Map<String, String> values) {
        this.values = values;
    }

    public static AgentOptions parse(String options) {
        Map<String, String> values = new LinkedHashMap<>();
        if (options != null && !options.isBlank()) {
            for (String entry : SPLIT.split(options.trim())) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("option '" + entry + "' is not key=value; keys: " + keyList());
                }
                String key = entry.substring(0, eq).trim();
                if (!KEYS.containsKey(key)) {
                    throw new IllegalArgumentException("unknown option '" + key + "'; keys: " + keyList());
                }
                String value = entry.substring(eq + 1).trim();
                if (values.put(key, value) != null) {
                    throw new IllegalArgumentException("option '" + key + "' is given twice");
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("option '" + key + "' has no value: expected "
                            + KEYS.get(key).accepts());
                }
            }
        }
        AgentOptions parsed = new AgentOptions(values);
        parsed.validate();
        return parsed;
    }

    /** What option {@code key} accepts, as its errors say it. */
    public static String expected(String key) {
        return KEYS.get(key).accepts();
    }

    private static String keyList() {
        return String.join(", ", KEYS.keySet());
    }

    private void validate() {
        for (Option<?> o : CHECK_ORDER) {
            get(o);
        }
        if (values.containsKey(STASH.key()) && get(SPARES) < 0) {
            throw bad(STASH, "the stash is the fallback of per-CPU spares, and spares is off");
        }
        if (get(SPARES) >= 0 && get(RESERVE) >= 0) {
            throw bad(SPARES, "reserve is given too, and both feed growth from per-CPU pages; give one");
        }
        for (Option<?> o : CHECK_ORDER_LATE) {
            get(o);
        }
        reportWritable();
        for (Option<?> o : CHECK_ORDER_SIZES) {
            get(o);
        }
    }

    IllegalArgumentException bad(Option<?> option, String problem) {
        return new IllegalArgumentException("bad value '" + values.get(option.key()) + "' for option '" + option.key()
                + "': " + problem + "; expected " + option.accepts());
    }

    /**
     * The report is written at exit, creating missing directories; checked now so that a long run
     * does not end without its report. Permission bits do not show that a file can be created
     * (sysfs, a read-only mount), so a file is created in the deepest existing directory and
     * removed again; an existing report must be a regular file (not {@code /dev/full}).
     */
    private void reportWritable() {
        String value = values.get(REPORT.key());
        if (value == null) {
            return;
        }
        Path file;
        try {
            file = Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw bad(REPORT, "not a path (" + e.getReason() + ")");
        }
        if (Files.isDirectory(file)) {
            throw bad(REPORT, file + " is a directory");
        }
        if (Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw bad(REPORT, file + " is not a regular file");
            }
            if (!Files.isWritable(file)) {
                throw bad(REPORT, file + " is not writable");
            }
            return;
        }
        Path existing = file.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw bad(REPORT, existing + " is not a directory");
        }
        try {
            Files.delete(FreshFile.create(existing, ".dynstack-", ".probe"));
        } catch (IOException | SecurityException e) {
            throw bad(REPORT, "directory " + existing + " is not writable");
        }
    }

    /** The value of {@code option}: as given, else its default; null when neither exists. */
    public <T> T get(Option<T> option) {
        return option.valueOf(values.get(option.key()), option.key());
    }

    public List<String> kernelGlobs() {
        List<String> globs = get(KERNEL);
        return globs == null ? List.of() : globs;
    }

    public List<String> excludeGlobs() {
        List<String> globs = get(EXCLUDES);
        return globs == null ? List.of() : globs;
    }

    /** Every option as given, in the order given. */
    public Map<String, String> given() {
        return Collections.unmodifiableMap(values);
    }

    /** The threshold in bytes; {@code Integer.MAX_VALUE} for {@code none}. */
    public int threshold() {
        return get(THRESHOLD);
    }

    /** What the threshold is compared with: the whole frame (the default) or its locals part. */
    public WeaveConfig.Basis thresholdBasis() {
        return get(THRESHOLD_BASIS);
    }

    public String fault() {
        return get(FAULT);
    }

    public int cpus() {
        return get(CPUS);
    }

    /** Reserve pages per CPU; -1 for {@code off}. */
    public int reservePages() {
        return get(RESERVE);
    }

    /** {@code idle=}: keep, release or multiplex. */
    public String idle() {
        return get(IDLE);
    }

    /** {@code reclaim=}: off, switch or shrinker. */
    public String reclaim() {
        return get(RECLAIM);
    }

    /** Spare pages per CPU; -1 for {@code off}. */
    public int spares() {
        return get(SPARES);
    }

    public int stash() {
        return get(STASH);
    }

    /** Free pages under the bound; -1 for {@code unlimited}. */
    public int freePages() {
        return get(FREE_PAGES);
    }

    public String report() {
        return get(REPORT);
    }

    public OnPanic onPanic() {
        return get(ON_PANIC);
    }

    public Verbosity verbosity() {
        return get(VERBOSE);
    }

    public LogTarget logTarget() {
        return get(LOG);
    }

    /** Class-name globs separated by ':'; -1 keeps empty globs, so that ':' alone or a trailing ':' is refused. */
    private static List<String> globs(String value) {
        List<String> globs = List.of(value.split(":", -1));
        return globs.stream().allMatch(g -> GLOB.matcher(g).matches()) ? globs : null;
    }

    /** Bytes, or KiB with a {@code k} suffix, up to {@code Integer.MAX_VALUE}. */
    private static Integer bytes(String value) {
        var m = SIZE.matcher(value);
        if (!m.matches()) {
            return null;
        }
        long bytes = Long.parseLong(m.group(1)) * (m.group(2).isEmpty() ? 1 : 1024);
        return bytes > Integer.MAX_VALUE ? null : (int) bytes;
    }

    /** A count of pages, up to nine digits; {@code none} (when not null) stands for -1. */
    private static Integer pages(String value, String none) {
        if (none != null && value.equalsIgnoreCase(none)) {
            return -1;
        }
        return value.matches("\\d{1,9}") ? Integer.parseInt(value) : null;
    }

    private static String choice(String value, String... accepted) {
        String lower = value.toLowerCase(Locale.ROOT);
        return List.of(accepted).contains(lower) ? lower : null;
    }

    private static <E extends Enum<E>> E named(E[] constants, String value) {
        for (E e : constants) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        return null;
    }

    public boolean has(Option<?> option) {
        return values.containsKey(option.key());
    }

    /** Every key, in the order the README lists them. */
    public static Set<String> keys() {
        return Collections.unmodifiableSet(KEYS.keySet());
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

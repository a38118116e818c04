package io.dynstack.agent;

import io.dynstack.agent.weave.WeaveConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's options, {@code key=value} separated by commas, parsed and checked in one place.
 * Sizes are bytes, or KiB with a {@code k} suffix. Any unknown key or bad value is an
 * {@link IllegalArgumentException} whose message is one line naming the key and what it accepts.
 */
public final class AgentOptions {

    public static final String KERNEL = "kernel";
    public static final String EXCLUDES = "excludes";
    public static final String THRESHOLD = "threshold";
    public static final String THRESHOLD_BASIS = "threshold_basis";
    public static final String THREAD_SIZE = "thread_size";
    public static final String INITIAL = "initial";
    public static final String PAGE = "page";
    public static final String MARGIN = "margin";
    public static final String FAULT = "fault";
    public static final String CPUS = "cpus";
    public static final String RESERVE = "reserve";
    public static final String RELEASE_AT_PARK = "release_at_park";
    public static final String IRQ_STACKS = "irq_stacks";
    public static final String IDLE = "idle";
    public static final String RECLAIM = "reclaim";
    public static final String SPARES = "spares";
    public static final String STASH = "stash";
    public static final String FREE_PAGES = "free_pages";
    public static final String EXPAND = "expand";
    public static final String REPORT = "report";
    public static final String VERBOSE = "verbose";
    public static final String LOG = "log";
    public static final String GUARANTEE = "guarantee";
    public static final String ON_PANIC = "on_panic";
    public static final String JMX = "jmx";
    public static final String METHODS = "methods";

    /** Every key with what it accepts, in the order the README lists them. */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put(KERNEL, "class-name globs separated by ':', e.g. com.acme.kernel.**");
        KEYS.put(EXCLUDES, "class-name globs separated by ':' never woven, even when kernel= or @KernelCode says so");
        KEYS.put(THRESHOLD, "a frame size in bytes (0 checks every method) or 'none'");
        KEYS.put(THRESHOLD_BASIS, "frame (the whole frame, the default) or locals (its locals part, as STACKLEAK compares)");
        KEYS.put(THREAD_SIZE, "bytes or KiB (16k), a multiple of page");
        KEYS.put(INITIAL, "bytes or KiB mapped at stack creation, a multiple of page, at most thread_size");
        KEYS.put(PAGE, "a power of two in bytes or KiB (4k)");
        KEYS.put(MARGIN, "bytes a check keeps mapped below the new frame, 0 or more");
        KEYS.put(FAULT, "panic or grow");
        KEYS.put(CPUS, "simulated CPUs, 1 to 65536");
        KEYS.put(RESERVE, "pages per CPU for growth in @NoSleep code, or off");
        KEYS.put(RELEASE_AT_PARK, "true or false");
        KEYS.put(IRQ_STACKS, "true or false");
        KEYS.put(IDLE, "keep, release (futex and epoll sleepers give back the whole stack) or multiplex"
                + " (a stack from kernel entry to the return to user)");
        KEYS.put(RECLAIM, "off, switch or shrinker: reclaim never-touched pages of switched-out threads");
        KEYS.put(SPARES, "spare pages per CPU that every growth takes, refilled at switch out, or off");
        KEYS.put(STASH, "pages of the global stash behind a lock that growth falls back to, with spares");
        KEYS.put(FREE_PAGES, "free pages the machine has for stack memory once stacks exist, or unlimited");
        KEYS.put(EXPAND, "true or false: whether @ExpandStack methods call expand_stack");
        KEYS.put(ON_PANIC, "throw (KernelPanic, an Error) or halt (print the oops, write the report, halt the JVM)");
        KEYS.put(REPORT, "a file path for the JSON report written at exit");
        KEYS.put(VERBOSE, "off, info or debug");
        KEYS.put(LOG, "stderr or system (System.getLogger(\"io.dynstack\"))");
        KEYS.put(GUARANTEE, "bytes or KiB: extra checks so that woven code cannot fault, and margin at least this");
        KEYS.put(JMX, "true or false: register the io.dynstack:type=Kernel MBean at start-up");
        KEYS.put(METHODS, "true or false: count entries and the deepest depth per method (a cost on every entry)");
    }

    /** Log levels of {@code verbose=}. */
    public enum Verbosity { OFF, INFO, DEBUG }

    /** Where {@code log=} sends the agent's messages. */
    public enum LogTarget { STDERR, SYSTEM }

    /** What the simulated kernel does on panic ({@code on_panic=}). */
    public enum OnPanic { THROW, HALT }

    private static final Pattern SPLIT = Pattern.compile(",(?=[a-zA-Z0-9_\\-]+=)");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_$.*?]+");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})([kK]?)");

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
                    throw new IllegalArgumentException("option '" + key + "' has no value: expected " + KEYS.get(key));
                }
            }
        }
        AgentOptions parsed = new AgentOptions(values);
        parsed.validate();
        return parsed;
    }

    /** What option {@code key} accepts, as its errors say it. */
    public static String expected(String key) {
        return KEYS.get(key);
    }

    private static String keyList() {
        return String.join(", ", KEYS.keySet());
    }

    private void validate() {
        kernelGlobs();
        excludeGlobs();
        threshold();
        thresholdBasis();
        verbosity();
        logTarget();
        fault();
        cpus();
        reservePages();
        onPanic();
        idle();
        reclaim();
        spares();
        stash();
        freePages();
        if (values.containsKey(STASH) && spares() < 0) {
            throw bad(STASH, "the stash is the fallback of per-CPU spares, and spares is off");
        }
        if (spares() >= 0 && reservePages() >= 0) {
            throw bad(SPARES, "reserve is given too, and both feed growth from per-CPU pages; give one");
        }
        for (String key : List.of(RELEASE_AT_PARK, IRQ_STACKS, EXPAND, JMX, METHODS)) {
            flag(key, false);
        }
        reportWritable();
        for (String key : List.of(THREAD_SIZE, INITIAL, PAGE, MARGIN, GUARANTEE)) {
            if (values.containsKey(key)) {
                size(key, 0);
            }
        }
    }

    private IllegalArgumentException bad(String key) {
        return new IllegalArgumentException("bad value '" + values.get(key) + "' for option '" + key + "': expected "
                + KEYS.get(key));
    }

    IllegalArgumentException bad(String key, String problem) {
        return new IllegalArgumentException("bad value '" + values.get(key) + "' for option '" + key + "': " + problem
                + "; expected " + KEYS.get(key));
    }

    /**
     * The report is written at exit, creating missing directories; checked now so that a long run
     * does not end without its report. Permission bits do not show that a file can be created
     * (sysfs, a read-only mount), so a file is created in the deepest existing directory and
     * removed again; an existing report must be a regular file (not {@code /dev/full}).
     */
    private void reportWritable() {
        String value = values.get(REPORT);
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
            Files.delete(Files.createTempFile(existing, ".dynstack-", ".probe"));
        } catch (IOException | SecurityException e) {
            throw bad(REPORT, "directory " + existing + " is not writable");
        }
    }

    public List<String> kernelGlobs() {
        return globs(KERNEL);
    }

    public List<String> excludeGlobs() {
        return globs(EXCLUDES);
    }

    private List<String> globs(String key) {
        String value = values.get(key);
        if (value == null) {
            return List.of();
        }
        // -1 keeps empty globs, so that ':' alone or a trailing ':' is an error, not no globs.
        List<String> globs = List.of(value.split(":", -1));
        for (String glob : globs) {
            if (!GLOB.matcher(glob).matches()) {
                throw bad(key);
            }
        }
        return globs;
    }

    /** Every option as given, in the order given. */
    public Map<String, String> given() {
        return Collections.unmodifiableMap(values);
    }

    /** The threshold in bytes; {@code Integer.MAX_VALUE} for {@code none}. */
    public int threshold() {
        String value = values.get(THRESHOLD);
        if (value == null) {
            return 100;
        }
        if (value.equalsIgnoreCase("none")) {
            return Integer.MAX_VALUE;
        }
        return size(THRESHOLD, 100);
    }

    /** What the threshold is compared with: the whole frame (the default) or its locals part. */
    public WeaveConfig.Basis thresholdBasis() {
        String value = values.get(THRESHOLD_BASIS);
        if (value == null) {
            return WeaveConfig.Basis.FRAME;
        }
        WeaveConfig.Basis basis = WeaveConfig.Basis.parse(value);
        if (basis == null) {
            throw bad(THRESHOLD_BASIS);
        }
        return basis;
    }

    public int size(String key, int defaultBytes) {
        String value = values.get(key);
        if (value == null) {
            return defaultBytes;
        }
        var m = SIZE.matcher(value);
        if (!m.matches()) {
            throw bad(key);
        }
        long bytes = Long.parseLong(m.group(1)) * (m.group(2).isEmpty() ? 1 : 1024);
        if (bytes > Integer.MAX_VALUE) {
            throw bad(key);
        }
        return (int) bytes;
    }

    public String fault() {
        String value = values.getOrDefault(FAULT, "panic").toLowerCase(Locale.ROOT);
        if (!value.equals("panic") && !value.equals("grow")) {
            throw bad(FAULT);
        }
        return value;
    }

    public int cpus() {
        String value = values.getOrDefault(CPUS, "1");
        if (!value.matches("\\d{1,5}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 65_536) {
            throw bad(CPUS);
        }
        return Integer.parseInt(value);
    }

    /** Reserve pages per CPU; -1 for {@code off}. */
    public int reservePages() {
        String value = values.getOrDefault(RESERVE, "off");
        if (value.equalsIgnoreCase("off")) {
            return -1;
        }
        if (!value.matches("\\d{1,5}")) {
            throw bad(RESERVE);
        }
        return Integer.parseInt(value);
    }

    /** {@code idle=}: keep, release or multiplex. */
    public String idle() {
        return choice(IDLE, "keep", "keep", "release", "multiplex");
    }

    /** {@code reclaim=}: off, switch or shrinker. */
    public String reclaim() {
        return choice(RECLAIM, "off", "off", "switch", "shrinker");
    }

    /** Spare pages per CPU; -1 for {@code off}. */
    public int spares() {
        return pages(SPARES, "off", "off");
    }

    public int stash() {
        return pages(STASH, "0", null);
    }

    /** Free pages under the bound; -1 for {@code unlimited}. */
    public int freePages() {
        return pages(FREE_PAGES, "unlimited", "unlimited");
    }

    private String choice(String key, String defaultValue, String... accepted) {
        String value = values.getOrDefault(key, defaultValue).toLowerCase(Locale.ROOT);
        if (!List.of(accepted).contains(value)) {
            throw bad(key);
        }
        return value;
    }

    /** A count of pages, up to nine digits; {@code none} (when not null) stands for -1. */
    private int pages(String key, String defaultValue, String none) {
        String value = values.getOrDefault(key, defaultValue);
        if (none != null && value.equalsIgnoreCase(none)) {
            return -1;
        }
        if (!value.matches("\\d{1,9}")) {
            throw bad(key);
        }
        return Integer.parseInt(value);
    }

    public boolean flag(String key, boolean defaultValue) {
        String value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw bad(key);
    }

    public String report() {
        return values.get(REPORT);
    }

    public OnPanic onPanic() {
        String value = values.getOrDefault(ON_PANIC, "throw");
        for (OnPanic p : OnPanic.values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw bad(ON_PANIC);
    }

    public Verbosity verbosity() {
        String value = values.getOrDefault(VERBOSE, "off");
        for (Verbosity v : Verbosity.values()) {
            if (v.name().equalsIgnoreCase(value)) {
                return v;
            }
        }
        throw bad(VERBOSE);
    }

    public LogTarget logTarget() {
        String value = values.getOrDefault(LOG, "stderr");
        for (LogTarget t : LogTarget.values()) {
            if (t.name().equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw bad(LOG);
    }

    public boolean has(String key) {
        return values.containsKey(key);
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

package io.dynstack.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dynstack.agent.AgentOptions;
import io.dynstack.agent.Installer;
import io.dynstack.agent.WeavingLoader;
import io.dynstack.agent.weave.ClassWeaver;
import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.Kernel;
import io.dynstack.runtime.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input never half-applies and never breaks the host: a bad option is one line naming it and
 * changes nothing; corrupt class bytes are left to the JVM to reject as it would without the
 * agent, with one line from the agent for each class it cannot weave, and the agent goes on
 * weaving the next class.
 */
class BadInputTest {

    private static final Instrumentation INST = ByteBuddyAgent.install();
    private static final String KERNEL_PACKAGE = "io.dynstack.testkernel.reliability.";
    private static final StackConfig BEFORE = new StackConfig(32768, 8192, 8192, 64, FaultPolicy.GROW, 2, 1, true, false);

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
    }

    /** Everything {@link Installer#install} decides before it touches the runtime. */
    private static void validate(String options) {
        AgentOptions parsed = AgentOptions.parse(options);
        Installer.stackConfig(parsed);
        Installer.weaveConfig(parsed);
    }

    private static final String KEYS = String.join(", ", AgentOptions.keys());
    private static final String GLOBS = "expected class-name globs separated by ':', e.g. com.acme.kernel.**";
    private static final String FRAME_SIZE = "expected a frame size in bytes (0 checks every method) or 'none'";
    private static final String TRUE_OR_FALSE = "expected true or false";
    private static final String GUARANTEE =
            "expected bytes or KiB: extra checks so that woven code cannot fault, and margin at least this";

    private static String badValue(String value, String key, String expected) {
        return "bad value '" + value + "' for option '" + key + "': " + expected;
    }

    /** Options and the exact line they give; every key has a bad value here, and most kinds of mistake. */
    static Stream<Arguments> badOptions() {
        return Stream.of(
                // Malformed, unknown, duplicated.
                arguments("threads=4", "unknown option 'threads'; keys: " + KEYS),
                arguments("Threshold=100", "unknown option 'Threshold'; keys: " + KEYS),
                arguments("kernel", "option 'kernel' is not key=value; keys: " + KEYS),
                arguments("=5", "option '=5' is not key=value; keys: " + KEYS),
                arguments("threshold=64,,fault=grow", badValue("64,", "threshold", FRAME_SIZE)),
                arguments("fault=grow,fault=panic", "option 'fault' is given twice"),
                arguments("kernel=a.**,threshold=0,kernel=b.**", "option 'kernel' is given twice"),
                // kernel
                arguments("kernel=", "option 'kernel' has no value: expected class-name globs separated by ':', "
                        + "e.g. com.acme.kernel.**"),
                arguments("kernel=com acme.**", badValue("com acme.**", "kernel", GLOBS)),
                arguments("kernel=com/acme/**", badValue("com/acme/**", "kernel", GLOBS)),
                arguments("kernel=a.**::b.**", badValue("a.**::b.**", "kernel", GLOBS)),
                arguments("kernel=:", badValue(":", "kernel", GLOBS)),
                arguments("kernel=a.**:", badValue("a.**:", "kernel", GLOBS)),
                arguments("methods=some", badValue("some", "methods", "expected true or false: count entries and the"
                        + " deepest depth per method (a cost on every entry)")),
                arguments("excludes=com/acme/Gen*", badValue("com/acme/Gen*", "excludes", "expected class-name globs separated by"
                        + " ':' never woven, even when kernel= or @KernelCode says so")),
                // threshold
                arguments("threshold=", "option 'threshold' has no value: " + FRAME_SIZE),
                arguments("threshold=abc", badValue("abc", "threshold", FRAME_SIZE)),
                arguments("threshold=1.5", badValue("1.5", "threshold", FRAME_SIZE)),
                arguments("threshold=-1", badValue("-1", "threshold", FRAME_SIZE)),
                arguments("threshold=1000000000", badValue("1000000000", "threshold", FRAME_SIZE)),
                // threshold_basis
                arguments("threshold_basis=size", badValue("size", "threshold_basis",
                        "expected frame (the whole frame, the default) or locals (its locals part, as STACKLEAK compares)")),
                // thread_size: zero, negative, not a size, too large, not a multiple of the page
                arguments("thread_size=", "option 'thread_size' has no value: expected bytes or KiB (16k), a multiple of page"),
                arguments("thread_size=16m", badValue("16m", "thread_size", "expected bytes or KiB (16k), a multiple of page")),
                arguments("thread_size=-16k", badValue("-16k", "thread_size", "expected bytes or KiB (16k), a multiple of page")),
                arguments("thread_size=2097152k", badValue("2097152k", "thread_size",
                        "expected bytes or KiB (16k), a multiple of page")),
                arguments("thread_size=0", "thread_size must be a positive multiple of page (4096), not 0"),
                arguments("thread_size=6k", "thread_size must be a positive multiple of page (4096), not 6144"),
                // initial
                arguments("initial=one", badValue("one", "initial",
                        "expected bytes or KiB mapped at stack creation, a multiple of page, at most thread_size")),
                arguments("initial=0", "initial must be a multiple of page (4096) between one page and thread_size (16384), "
                        + "not 0"),
                arguments("initial=6k", "initial must be a multiple of page (4096) between one page and thread_size (16384), "
                        + "not 6144"),
                arguments("initial=32k", "initial must be a multiple of page (4096) between one page and thread_size (16384), "
                        + "not 32768"),
                arguments("thread_size=8k,initial=16k", "initial must be a multiple of page (4096) between one page and "
                        + "thread_size (8192), not 16384"),
                // page
                arguments("page=4K4", badValue("4K4", "page", "expected a power of two in bytes or KiB (4k)")),
                arguments("page=0", "page must be a power of two of at least 16 bytes, not 0"),
                arguments("page=8", "page must be a power of two of at least 16 bytes, not 8"),
                arguments("page=3k", "page must be a power of two of at least 16 bytes, not 3072"),
                arguments("page=32k", "thread_size must be a positive multiple of page (32768), not 16384"),
                arguments("page=8k,thread_size=12k", "thread_size must be a positive multiple of page (8192), not 12288"),
                // margin
                arguments("margin=-1", badValue("-1", "margin", "expected bytes a check keeps mapped below the new frame, "
                        + "0 or more")),
                arguments("margin=16k", "margin must be between 0 and thread_size - 1, not 16384"),
                arguments("thread_size=8k,margin=8k", "margin must be between 0 and thread_size - 1, not 8192"),
                // fault
                arguments("fault=crash", badValue("crash", "fault", "expected panic or grow")),
                arguments("fault=", "option 'fault' has no value: expected panic or grow"),
                // cpus
                arguments("cpus=0", badValue("0", "cpus", "expected simulated CPUs, 1 to 65536")),
                arguments("cpus=65537", badValue("65537", "cpus", "expected simulated CPUs, 1 to 65536")),
                arguments("cpus=-2", badValue("-2", "cpus", "expected simulated CPUs, 1 to 65536")),
                arguments("cpus=two", badValue("two", "cpus", "expected simulated CPUs, 1 to 65536")),
                // reserve
                arguments("reserve=-1", badValue("-1", "reserve", "expected pages per CPU for growth in @NoSleep code, "
                        + "or off")),
                arguments("reserve=none", badValue("none", "reserve", "expected pages per CPU for growth in @NoSleep code, "
                        + "or off")),
                // flags
                arguments("release_at_park=yes", badValue("yes", "release_at_park", TRUE_OR_FALSE)),
                arguments("irq_stacks=1", badValue("1", "irq_stacks", TRUE_OR_FALSE)),
                arguments("expand=off", badValue("off", "expand",
                        "expected true or false: whether @ExpandStack methods call expand_stack")),
                // report: an empty path; the directories are in the tests below
                arguments("report=", "option 'report' has no value: expected a file path for the JSON report written at exit"),
                // verbose, log
                arguments("verbose=trace", badValue("trace", "verbose", "expected off, info or debug")),
                arguments("log=file", badValue("file", "log", "expected stderr or system (System.getLogger(\"io.dynstack\"))")),
                // guarantee
                arguments("guarantee=", "option 'guarantee' has no value: " + GUARANTEE),
                arguments("guarantee=lots", badValue("lots", "guarantee", GUARANTEE)),
                arguments("guarantee=-1k", badValue("-1k", "guarantee", GUARANTEE)),
                // the 2026 thread's designs
                arguments("idle=sleep", badValue("sleep", "idle", "expected keep, release (futex and epoll sleepers give"
                        + " back the whole stack) or multiplex (a stack from kernel entry to the return to user)")),
                arguments("reclaim=always", badValue("always", "reclaim", "expected off, switch or shrinker: reclaim"
                        + " never-touched pages of switched-out threads")),
                arguments("spares=-3", badValue("-3", "spares", "expected spare pages per CPU that every growth takes,"
                        + " refilled at switch out, or off")),
                arguments("spares=3,reserve=1", badValue("3", "spares", "reserve is given too, and both feed growth"
                        + " from per-CPU pages; give one; expected spare pages per CPU that every growth takes, refilled"
                        + " at switch out, or off")),
                arguments("stash=eight", badValue("eight", "stash", "expected pages of the global stash behind a lock"
                        + " that growth falls back to, with spares")),
                arguments("stash=8", badValue("8", "stash", "the stash is the fallback of per-CPU spares, and spares is"
                        + " off; expected pages of the global stash behind a lock that growth falls back to, with spares")),
                arguments("free_pages=none", badValue("none", "free_pages", "expected free pages the machine has for"
                        + " stack memory once stacks exist, or unlimited")),
                arguments("guarantee=16k", "bad value '16k' for option 'guarantee': it must be less than thread_size"
                        + " (16384), since it becomes the margin of every check; " + GUARANTEE),
                arguments("thread_size=8k,guarantee=9k", "bad value '9k' for option 'guarantee': it must be less than"
                        + " thread_size (8192), since it becomes the margin of every check; " + GUARANTEE),
                // on_panic, jmx
                arguments("on_panic=exit", badValue("exit", "on_panic", "expected throw (KernelPanic, an Error) or halt"
                        + " (print the oops, write the report, halt the JVM)")),
                arguments("jmx=yes", badValue("yes", "jmx",
                        "expected true or false: register the io.dynstack:type=Kernel MBean at start-up")));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void everyBadOptionIsExactlyOneLineNamingIt(String options, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> validate(options)).getMessage());
    }

    @Test
    void everyKeyHasABadValueCase() {
        Set<String> covered = badOptions().map(a -> ((String) a.get()[0]).split("=")[0]).collect(Collectors.toSet());
        for (String key : AgentOptions.keys()) {
            assertTrue(covered.contains(key), "no bad value tested for " + key);
        }
    }

    @Test
    void aReportPathThatIsADirectoryIsRejected(@TempDir Path dir) {
        assertEquals(badValue(dir.toString(), "report", dir + " is a directory; expected a file path for the JSON report "
                + "written at exit"), assertThrows(IllegalArgumentException.class, () -> validate("report=" + dir)).getMessage());
    }

    @Test
    void aReportUnderAFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "");
        String report = file.resolve("sub/report.json").toString();
        assertEquals(badValue(report, "report", file + " is not a directory; expected a file path for the JSON report "
                + "written at exit"), assertThrows(IllegalArgumentException.class, () -> validate("report=" + report))
                .getMessage());
    }

    @Test
    void aReportInADirectoryThatCannotBeWrittenIsRejected(@TempDir Path dir) throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        assumeFalse(Files.isWritable(readOnly), "permissions do not bind this user (root)");
        String report = readOnly.resolve("report.json").toString();
        assertEquals(badValue(report, "report", "directory " + readOnly + " is not writable; expected a file path for "
                + "the JSON report written at exit"), assertThrows(IllegalArgumentException.class,
                () -> validate("report=" + report)).getMessage());
    }

    @Test
    void aReportThatIsADeviceIsRejected() {
        assumeTrue(Files.exists(Path.of("/dev/full")), "a system with /dev/full");
        assertEquals(badValue("/dev/full", "report", "/dev/full is not a regular file; expected a file path for the JSON"
                + " report written at exit"), assertThrows(IllegalArgumentException.class,
                () -> validate("report=/dev/full")).getMessage());
    }

    @Test
    void aReportWhereNoFileCanBeCreatedIsRejectedWhateverThePermissionBitsSay() {
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "a system with sysfs");
        String report = "/sys/kernel/dynstack/report.json";
        assertEquals(badValue(report, "report", "directory /sys/kernel is not writable; expected a file path for the"
                + " JSON report written at exit"), assertThrows(IllegalArgumentException.class,
                () -> validate("report=" + report)).getMessage());
    }

    @Test
    void aReportInDirectoriesNotYetThereIsAcceptedAndTheyAreCreatedAtExit(@TempDir Path dir) {
        String report = dir.resolve("a/b/report.json").toString();
        assertEquals(report, AgentOptions.parse("report=" + report).report());
    }

    @Test
    void aFailedInstallLeavesTheRuntimeAsItWasAndWeavesNothing() throws Exception {
        Kernel.configure(BEFORE);
        String options = "kernel=" + KERNEL_PACKAGE + "**,verbose=debug,threshold=0,thread_size=8k,initial=16k";
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            assertThrows(IllegalArgumentException.class, () -> Installer.install(AgentOptions.parse(options), INST));
            assertEquals(BEFORE, Kernel.config(), "the runtime keeps its configuration");
            Method descend = new Plain().define(KERNEL_PACKAGE + "Storm").getDeclaredMethod("descend", int.class, int.class);
            descend.setAccessible(true);
            assertEquals(20, descend.invoke(null, 20, -1));
        } finally {
            System.setErr(stderr);
        }
        assertEquals(0, Kernel.stats().stacks().created(), "the class loaded after the failure was not woven");
        assertEquals("", captured.toString(), "verbose=debug was not applied either");
    }

    /** Defines classes from the test class path as any application class loader would. */
    private static final class Plain extends ClassLoader {
        Plain() {
            super(BadInputTest.class.getClassLoader());
        }

        Class<?> define(String name) {
            return define(name, WeavingLoader.classFile(name));
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    @Test
    void corruptClassBytesEitherStopTheWeaverOrWeaveIntoAClassTheJvmTreatsAsItTreatsTheOriginal() {
        byte[] valid = WeavingLoader.classFile(KERNEL_PACKAGE + "Storm");
        Random random = new Random(6);
        int rejected = 0;
        int normalised = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] corrupt = mutate(valid, random);
            byte[] woven;
            try {
                woven = new ClassWeaver(WeaveConfig.DEFAULT).weave(corrupt).bytes();
            } catch (RuntimeException e) {
                // The agent leaves such a class unchanged for the JVM to judge, as the next test shows.
                rejected++;
                continue;
            }
            normalised += sameOrNormalised(linksOrFails(corrupt), linksOrFails(woven), "mutation " + i);
        }
        // Bounds, not exact counts: the class mutated is the running javac's output, which differs by release.
        assertTrue(rejected > 100, rejected + " of 2000 mutations rejected by the weaver");
        assertTrue(rejected < 1900, rejected + " of 2000 mutations rejected by the weaver");
        assertTrue(normalised < 40, normalised + " of 2000 malformed class files loaded once rewritten");
    }

    /**
     * A class the JVM loads, it loads woven; one it rejects, it rejects woven, unless reading and
     * rewriting dropped the malformed part (an unused constant or attribute): returns 1 for such a
     * class file, about which the agent promises nothing.
     */
    private static int sameOrNormalised(String original, String woven, String what) {
        if (!original.equals("links") && woven.equals("links")) {
            return 1;
        }
        assertEquals(original, woven, what);
        return 0;
    }

    /** A truncation, or one to four bytes overwritten, past the magic and version. */
    private static byte[] mutate(byte[] valid, Random random) {
        if (random.nextInt(5) == 0) {
            return Arrays.copyOf(valid, 8 + random.nextInt(valid.length - 8));
        }
        byte[] corrupt = valid.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            corrupt[8 + random.nextInt(corrupt.length - 8)] = (byte) random.nextInt(256);
        }
        return corrupt;
    }

    /**
     * Whether the JVM links a class file. Not which error it throws when it does not: rewriting may
     * change which malformed part the JVM meets first (a ClassFormatError becoming a wrong-name
     * NoClassDefFoundError).
     */
    private static String linksOrFails(byte[] bytes) {
        try {
            new ClassCheck.Isolated(BadInputTest.class.getClassLoader()).defineAndLink(KERNEL_PACKAGE + "Storm", bytes);
            return "links";
        } catch (LinkageError | SecurityException e) {
            return "fails";
        }
    }

    @Test
    void corruptKernelClassesMeetTheJvmAsWithoutTheAgentAndTheNextClassIsStillWoven() throws Exception {
        String name = KERNEL_PACKAGE + "Storm";
        byte[] valid = WeavingLoader.classFile(name);
        Random random = new Random(7);
        List<byte[]> corrupt = new ArrayList<>();
        corrupt.add(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 65, 0, 42, 7, 1, 2, 3});
        for (int i = 0; i < 200; i++) {
            corrupt.add(mutate(valid, random));
        }
        List<String> withoutAgent = corrupt.stream().map(BadInputTest::linksOrFails).toList();

        ClassFileTransformer transformer = Installer.install(AgentOptions.parse("kernel=" + KERNEL_PACKAGE + "**"),
                INST);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            for (int i = 0; i < corrupt.size(); i++) {
                sameOrNormalised(withoutAgent.get(i), linksOrFails(corrupt.get(i)), "class file " + i);
            }
            Kernel.configure(StackConfig.DEFAULT);
            Method descend = new Plain().define(name).getDeclaredMethod("descend", int.class, int.class);
            descend.setAccessible(true);
            assertEquals(20, descend.invoke(null, 20, -1));
        } finally {
            System.setErr(stderr);
            INST.removeTransformer(transformer);
        }
        assertEquals(21, Kernel.stats().events().checksExecuted(), "the valid class after them was woven");
        for (String line : captured.toString().lines().toList()) {
            assertTrue(line.startsWith("dynstack: cannot weave " + name + ", left unchanged ("), line);
        }
    }
}

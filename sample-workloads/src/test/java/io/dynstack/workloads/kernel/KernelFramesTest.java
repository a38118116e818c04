package io.dynstack.workloads.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.agent.analyze.CallGraph;
import io.dynstack.agent.analyze.ClassInfo;
import io.dynstack.agent.analyze.ClassScanner;
import io.dynstack.agent.linux.KernelData;
import io.dynstack.agent.linux.SnapshotCommand;
import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Linux;
import io.dynstack.workloads.Modelled;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed kernel data (Debian's 6.12.117 cloud kernel, vmlinux and six modules) is the one
 * source of the hand-made kernel's frames: every static method of {@code workloads.kernel} names
 * the Linux function it stands for with {@link Linux}, and its {@code @Frame} must be that
 * function's row exactly ({@code bytes} the full frame, {@code locals} the locals, {@code align = 8});
 * a method without {@link Linux} must carry {@link Modelled}, with its reason. The test also writes
 * {@code sample-workloads/KERNEL-FRAMES.md} with {@code -Ddynstack.kernelFrames.write=true} and
 * otherwise checks that it is current.
 */
class KernelFramesTest {

    private static final Path TABLE = Path.of("KERNEL-FRAMES.md");
    private static final List<Class<?>> CLASSES = List.of(Syscalls.class, Sched.class, Vfs.class, Block.class,
            Ext4Evict.class, Mm.class, Net.class, Irq.class, Kthreads.class, Storage.class, Kvm.class, Chains.class,
            Binder.class);

    private record Row(String method, Method m, KernelData.Function data) {
    }

    private static KernelData data() throws IOException {
        try (InputStream in = SnapshotCommand.class.getResourceAsStream(SnapshotCommand.DEFAULT_DATA)) {
            return KernelData.read(in, SnapshotCommand.DEFAULT_DATA);
        }
    }

    private static List<Method> kernelMethods() {
        List<Method> methods = new ArrayList<>();
        for (Class<?> c : CLASSES) {
            Arrays.stream(c.getDeclaredMethods())
                    .filter(m -> !m.isSynthetic() && Modifier.isStatic(m.getModifiers()))
                    .sorted(Comparator.comparing(Method::getName))
                    .forEach(methods::add);
        }
        return methods;
    }

    private static String name(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }

    @Test
    void theKernelPackageIsTheClassesThisTestReads() throws Exception {
        String pkg = Syscalls.class.getPackageName().replace('.', '/');
        Path dir = Path.of(Syscalls.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(pkg);
        try (var files = Files.list(dir)) {
            List<String> found = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length())).sorted().toList();
            assertEquals(CLASSES.stream().map(Class::getSimpleName).sorted().toList(), found);
        }
    }

    @Test
    void everyFrameIsItsFunctionsRowInTheDataOrMarkedModelled() throws Exception {
        KernelData data = data();
        Map<String, Integer> index = data.indexByName();
        List<String> wrong = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (Method m : kernelMethods()) {
            Linux linux = m.getAnnotation(Linux.class);
            Modelled modelled = m.getAnnotation(Modelled.class);
            Frame frame = m.getAnnotation(Frame.class);
            String method = name(m);
            if ((linux == null) == (modelled == null)) {
                wrong.add(method + ": needs exactly one of @Linux(\"function\") and @Modelled(\"reason\")");
                continue;
            }
            if (frame == null) {
                wrong.add(method + ": has no @Frame");
                continue;
            }
            String function = linux != null ? linux.value() : modelled.linux();
            KernelData.Function f = function.isEmpty() ? null : data.lookup(function, index);
            if (linux != null) {
                if (f == null) {
                    wrong.add(method + ": " + function + " has no row in " + data.header().release()
                            + "; mark it @Modelled with the reason");
                } else if (frame.bytes() != f.full() || frame.locals() != f.locals() || frame.align() != 8) {
                    wrong.add(String.format(Locale.ROOT, "%s: @Frame(bytes = %d, locals = %d, align = %d), but %s is"
                                    + " @Frame(bytes = %d, locals = %d, align = 8)", method, frame.bytes(),
                            frame.locals(), frame.align(), f.name(), f.full(), f.locals()));
                }
            } else if (modelled.value().isBlank()) {
                wrong.add(method + ": @Modelled needs its reason");
            }
            rows.add(new Row(method, m, f));
        }
        assertEquals(List.of(), wrong, "the committed kernel data is the frames' one source");
        String table = table(data, rows);
        if (Boolean.getBoolean("dynstack.kernelFrames.write")) {
            Files.writeString(TABLE, table);
        }
        assertEquals(table, Files.readString(TABLE), "KERNEL-FRAMES.md is not current: regenerate it with"
                + " ./mvnw -pl sample-workloads -am package -Dtest=KernelFramesTest -Ddynstack.kernelFrames.write=true"
                + " -Dsurefire.failIfNoSpecifiedTests=false -DskipITs");
    }

    /**
     * Each call from one {@code @Linux} method to another is one the kernel makes, by the data's
     * edges: a direct call, or any call where the caller has indirect call sites (file and driver
     * methods), each followed by any number of tail calls, whose callers' frames are gone by then
     * (submit_bh jumps to submit_bh_wbc, which jumps to submit_bio). Calls to and from
     * {@code @Modelled} methods are the model's and are not checked.
     */
    @Test
    void everyCallBetweenLinuxFunctionsIsOneTheDataHas() throws Exception {
        KernelData data = data();
        Map<String, Integer> index = data.indexByName();
        Map<String, Method> byKey = new HashMap<>();
        List<ClassInfo> classes = new ArrayList<>();
        for (Class<?> c : CLASSES) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                classes.add(ClassScanner.scan(in.readAllBytes(), c.getName()));
            }
            for (Method m : c.getDeclaredMethods()) {
                byKey.put(c.getName() + "." + m.getName(), m);
            }
        }
        CallGraph graph = CallGraph.build(classes, c -> true);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (int v = 0; v < graph.size(); v++) {
            Linux caller = linux(byKey, graph.method(v));
            if (caller == null) {
                continue;
            }
            KernelData.Function from = data.lookup(caller.value(), index);
            for (int w : graph.callees(v)) {
                Linux callee = linux(byKey, graph.method(w));
                if (callee == null) {
                    continue;
                }
                checked++;
                KernelData.Function to = data.lookup(callee.value(), index);
                if (from.indirect() == 0 && !reaches(data, index, from, to)) {
                    wrong.add(caller.value() + " -> " + callee.value() + " (" + name(byKey, graph.method(v)) + " -> "
                            + name(byKey, graph.method(w)) + ")");
                }
            }
        }
        assertEquals(List.of(), wrong, "calls the data file has no edge for");
        assertEquals(true, checked > 150, "the calls between @Linux methods were found: " + checked);
    }

    private static Linux linux(Map<String, Method> byKey, CallGraph.Method m) {
        Method method = byKey.get(m.className() + "." + m.name());
        return method == null || !Modifier.isStatic(method.getModifiers()) ? null : method.getAnnotation(Linux.class);
    }

    private static String name(Map<String, Method> byKey, CallGraph.Method m) {
        return name(byKey.get(m.className() + "." + m.name()));
    }

    /** {@code to} is a direct callee of {@code from}, or reached from one by tail calls only. */
    private static boolean reaches(KernelData data, Map<String, Integer> index, KernelData.Function from,
                                   KernelData.Function to) {
        int target = index.get(to.name());
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        Set<Integer> seen = new HashSet<>();
        for (int c : from.calls()) {
            queue.add(c);
        }
        while (!queue.isEmpty()) {
            int f = queue.poll();
            if (f == target) {
                return true;
            }
            if (seen.add(f)) {
                for (int t : data.function(f).tailCalls()) {
                    queue.add(t);
                }
            }
        }
        return false;
    }

    private static String table(KernelData data, List<Row> rows) {
        long real = rows.stream().filter(r -> r.m().isAnnotationPresent(Linux.class)).count();
        StringBuilder out = new StringBuilder();
        out.append("# The hand-made kernel's frames, from a real kernel\n\n");
        out.append("Each static method of `sample-workloads/.../kernel/`, the Linux function it stands for and its\n")
                .append("frame. A method marked `@Linux` has its function's row of the committed kernel data, ")
                .append(data.header().release()).append("\n")
                .append("(full: return address included; locals: STACKLEAK's `get_frame_size()`), which ")
                .append("`KernelFramesTest` checks:\n")
                .append("a real kernel binary's figures. A method marked `@Modelled` has a frame of the simulation ")
                .append("model, for the reason given.\n")
                .append("Written and checked by `KernelFramesTest`.\n\n");
        out.append(String.format(Locale.ROOT, "%d methods: %d with their function's frame in the data, %d modelled.%n%n",
                rows.size(), real, rows.size() - real));
        out.append("| method | Linux function | full | locals | source |\n");
        out.append("| --- | --- | ---: | ---: | --- |\n");
        for (Row r : rows) {
            Linux linux = r.m().getAnnotation(Linux.class);
            Modelled modelled = r.m().getAnnotation(Modelled.class);
            Frame frame = r.m().getAnnotation(Frame.class);
            String function = linux != null ? linux.value() : modelled.linux();
            KernelData.Function f = r.data();
            String shown = function.isEmpty() ? "-" : f == null || f.name().equals(function) ? "`" + function + "`"
                    : "`" + function + "` (`" + f.name() + "`)";
            String source;
            if (linux != null) {
                source = f.module().equals("vmlinux") ? "data" : "data, module " + f.module();
            } else {
                source = "modelled: " + modelled.value()
                        + (f == null ? "" : String.format(Locale.ROOT, " (the data's row: %d, %d)", f.full(), f.locals()));
            }
            out.append("| `").append(r.method()).append("` | ").append(shown)
                    .append(" | ").append(frame.bytes())
                    .append(" | ").append(frame.locals() < 0 ? "-" : String.valueOf(frame.locals()))
                    .append(" | ").append(source).append(" |\n");
        }
        return out.toString();
    }
}

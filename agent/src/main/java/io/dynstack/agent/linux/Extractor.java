package io.dynstack.agent.linux;

import io.dynstack.agent.linux.KernelData.Flag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a linked x86-64 kernel (vmlinux) into {@link KernelData}. Per function:
 *
 * <ul>
 *   <li>the full frame: the largest of what ORC, {@code .debug_frame} and the prologue say;</li>
 *   <li>the locals: the largest {@code sub $N,%rsp} its code makes;</li>
 *   <li>the direct calls and tail calls, decoded from its machine code ({@link X86}), since Debian's
 *       vmlinux keeps no relocations for {@code .text}; calls to {@code __fentry__} (ftrace's hook,
 *       a nop at run time) and jumps to the return thunk are not calls;</li>
 *   <li>the indirect call sites: {@code call *}, {@code jmp *} and calls or jumps to the retpoline
 *       thunks and static-call trampolines, whose target is chosen at run time.</li>
 * </ul>
 *
 * <p>Symbols at one address are one function under several names (each gets a row). objtool's
 * {@code __pfx_} padding symbols are not functions. {@code .cold} parts are merged into their
 * parent. The decoder's own check: every ORC address inside a function must fall on an instruction
 * it decoded ({@link Stats#orcMisses}).
 */
final class Extractor {

    /** What the extraction found beyond the data: printed by the command, asserted by tests. */
    record Stats(int functions, int rows, int orcChecked, int orcMisses, int undecoded,
                 int midFunctionTargets, int unresolvedCalls) {
    }

    record Result(KernelData data, Stats stats) {
    }

    private enum Special {
        /** A call or jump to it is an indirect call: retpoline thunks, static-call trampolines. */
        INDIRECT,
        /** Not a call at all: ftrace's entry hook, the return thunks. */
        IGNORED
    }

    private static final class Func {
        final List<String> names = new ArrayList<>();
        final String module;
        final ElfFile.Section section;
        final long start;
        final long end;
        final List<long[]> coldParts = new ArrayList<>();
        final TreeSet<Integer> calls = new TreeSet<>();
        final TreeSet<Integer> tailCalls = new TreeSet<>();
        final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        int id;
        int full;
        int locals;
        int indirect;
        boolean hasFde;

        final List<String> externalCalls = new ArrayList<>();
        final List<String> externalTailCalls = new ArrayList<>();

        Func(String name, String module, ElfFile.Section section, long start, long end) {
            names.add(name);
            this.module = module;
            this.section = section;
            this.start = start;
            this.end = end;
        }

        boolean contains(long address) {
            if (address >= start && address < end) {
                return true;
            }
            for (long[] part : coldParts) {
                if (address >= part[0] && address < part[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Across every file read: the functions, in order, and the exported names modules call by. */
    private final List<Func> all = new ArrayList<>();
    private final Map<String, Func> exported = new HashMap<>();
    private int orcChecked;
    private int orcMisses;
    private int undecoded;
    private int midFunctionTargets;
    private int unresolved;

    /** One ELF file: vmlinux, or a module, whose functions call into vmlinux by name. */
    private final class Image {
        final ElfFile elf;
        final String module;
        final List<ElfFile.Symbol> symbols;
        final List<Func> funcs = new ArrayList<>();
        final Map<Long, Func> byStart = new HashMap<>();
        final Map<Long, Special> specials = new HashMap<>();
        final List<Func> withColdParts = new ArrayList<>();
        final Map<Long, ElfFile.Relocation> relocations = new HashMap<>();
        long[] starts;
        Orc orc;
        boolean haveCfi;

        Image(ElfFile elf, String module) throws ElfFile.BadInput {
            this.elf = elf;
            this.module = module;
            this.symbols = elf.symbols();
            if (elf.relocatable()) {
                for (ElfFile.Section s : elf.sections()) {
                    if (s.executable()) {
                        relocations.putAll(elf.relocations(s, symbols));
                    }
                }
            }
        }
    }

    private Extractor() {
    }

    /**
     * @param modules modules ({@code .ko}) of the same kernel to read too, each a module of its own in the data
     * @param release the kernel release, or null to read it from {@code linux_banner}
     * @param pkg     the Debian package it came from, as the header's {@code package} line, or {@code -}
     */
    static Result extract(Path vmlinux, List<Path> modules, String release, String pkg) throws IOException {
        ElfFile elf = ElfFile.open(vmlinux);
        if (elf.relocatable()) {
            throw new ElfFile.BadInput(vmlinux + ": a relocatable object (a module or a .o); give the linked vmlinux first,"
                    + " and modules with --module");
        }
        Extractor extractor = new Extractor();
        Image kernel = extractor.new Image(elf, "vmlinux");
        String kernelRelease = release != null ? release : banner(elf, kernel.symbols);
        Orc.Layout layout = extractor.unwindTables(kernel, kernelRelease);
        List<Image> images = new ArrayList<>(List.of(kernel));
        List<String> sources = new ArrayList<>(List.of("vmlinux sha256:" + sha256(vmlinux)));
        for (Path path : modules) {
            ElfFile module = ElfFile.open(path);
            if (!module.relocatable()) {
                throw new ElfFile.BadInput(path + ": not a module (.ko); modules are relocatable objects");
            }
            String name = path.getFileName().toString().replaceFirst("\\.k?o$", "").replace('-', '_');
            Image image = extractor.new Image(module, name);
            extractor.unwindTables(image, kernelRelease);
            images.add(image);
            sources.add(name + " sha256:" + sha256(path));
        }
        for (Image image : images) {
            extractor.collect(image);
        }
        for (Image image : images) {
            for (Func f : image.funcs) {
                extractor.decode(image, f);
                extractor.frame(image, f);
            }
        }
        extractor.resolveExternalCalls();
        List<KernelData.Function> rows = extractor.rows();
        KernelData data = new KernelData(new KernelData.Header(kernelRelease, pkg, sources,
                layout == null ? "none" : layout.since), rows);
        Stats stats = new Stats(extractor.all.size(), rows.size(), extractor.orcChecked,
                extractor.orcMisses, extractor.undecoded, extractor.midFunctionTargets, extractor.unresolved);
        return new Result(data, stats);
    }

    /** Reads the image's ORC and CFI; returns the ORC layout, or null where it has no ORC. */
    private Orc.Layout unwindTables(Image image, String kernelRelease) throws ElfFile.BadInput {
        ElfFile elf = image.elf;
        Orc.Layout layout = null;
        ElfFile.Section ipSection = elf.section(".orc_unwind_ip");
        ElfFile.Section entrySection = elf.section(".orc_unwind");
        if (ipSection != null && entrySection != null) {
            layout = Orc.Layout.of(kernelRelease);
            if (layout == null) {
                throw new ElfFile.BadInput(elf.name() + ": kernel " + kernelRelease + " has an ORC layout this reader does"
                        + " not know; supported: 4.14 to 6.2, 6.3, 6.4 and later");
            }
            ByteBuffer ipTable = elf.bytes(ipSection);
            long[] ips = new long[ipTable.limit() / 4];
            Map<Long, ElfFile.Relocation> relocated = elf.relocatable() ? elf.relocations(ipSection, image.symbols) : Map.of();
            for (int i = 0; i < ips.length; i++) {
                long at = ipSection.addr() + 4L * i;
                ElfFile.Relocation r = relocated.get(at);
                // Each entry is its instruction's address relative to itself: S + A - P, so the address is S + A.
                ips[i] = r != null ? r.symbol().value() + r.addend() : at + ipTable.getInt(4 * i);
            }
            image.orc = Orc.read(ips, elf.bytes(entrySection), layout);
        }
        ElfFile.Section frameSection = elf.section(".debug_frame");
        List<DebugFrame.Fde> fdes = List.of();
        if (frameSection != null) {
            Map<Long, ElfFile.Relocation> relocated = elf.relocatable() ? elf.relocations(frameSection, image.symbols)
                    : Map.of();
            fdes = DebugFrame.read(elf.bytes(frameSection), (offset, raw) -> {
                ElfFile.Relocation r = relocated.get(frameSection.addr() + offset);
                return r != null ? r.symbol().value() + r.addend() : raw;
            });
        }
        if (image.orc == null && fdes.isEmpty()) {
            throw new ElfFile.BadInput(elf.name() + ": neither ORC (.orc_unwind) nor .debug_frame; frames cannot be read."
                    + " Use the vmlinux of the -dbg package, built with CONFIG_UNWINDER_ORC");
        }
        image.haveCfi = !fdes.isEmpty();
        pendingFdes.put(image, fdes);
        return layout;
    }

    private final Map<Image, List<DebugFrame.Fde>> pendingFdes = new HashMap<>();

    private static String banner(ElfFile elf, List<ElfFile.Symbol> symbols) throws ElfFile.BadInput {
        for (ElfFile.Symbol s : symbols) {
            if (s.name().equals("linux_banner") && s.section() > 0 && s.section() < elf.sections().size()) {
                ElfFile.Section section = elf.sections().get(s.section());
                ByteBuffer bytes = elf.bytes(section);
                int at = (int) (s.value() - section.addr());
                StringBuilder text = new StringBuilder();
                for (int i = at; i >= 0 && i < bytes.limit() && bytes.get(i) != 0 && text.length() < 256; i++) {
                    text.append((char) bytes.get(i));
                }
                String[] words = text.toString().split(" ");
                if (words.length >= 3 && words[0].equals("Linux") && words[1].equals("version")) {
                    return words[2];
                }
            }
        }
        throw new ElfFile.BadInput(elf.name() + ": no linux_banner symbol to read the kernel release from;"
                + " give it with --release");
    }

    private void collect(Image image) {
        ElfFile elf = image.elf;
        List<ElfFile.Symbol> cold = new ArrayList<>();
        List<ElfFile.Symbol> functions = new ArrayList<>();
        for (ElfFile.Symbol s : image.symbols) {
            if (s.section() <= 0 || s.section() >= elf.sections().size()
                    || !elf.sections().get(s.section()).executable()) {
                continue;
            }
            Special special = special(s.name());
            if (special != null) {
                image.specials.put(s.value(), special);
            }
            // Entry code (entry_SYSCALL_64, asm_exc_page_fault) is sized but untyped.
            boolean code = s.type() == ElfFile.STT_FUNC || s.type() == ElfFile.STT_NOTYPE;
            if (!code || special != null || s.size() == 0 || s.name().startsWith("__pfx_")
                    || s.name().startsWith("__cfi_")) {
                continue;
            }
            (s.name().matches(".*\\.cold(\\.\\d+)?") ? cold : functions).add(s);
        }
        Map<String, ElfFile.Symbol> parents = new HashMap<>();
        for (ElfFile.Symbol s : functions) {
            parents.putIfAbsent(s.name(), s);
        }
        List<ElfFile.Symbol> orphans = new ArrayList<>();
        for (ElfFile.Symbol s : cold) {
            if (!parents.containsKey(s.name().replaceAll("\\.cold(\\.\\d+)?$", ""))) {
                orphans.add(s);
            }
        }
        functions.addAll(orphans);
        functions.sort(Comparator.comparingLong(ElfFile.Symbol::value).thenComparing(s -> s.bind() == ElfFile.STB_LOCAL)
                .thenComparing(ElfFile.Symbol::name));
        for (ElfFile.Symbol s : functions) {
            Func existing = image.byStart.get(s.value());
            if (existing != null) {
                if (!existing.names.contains(s.name())) {
                    existing.names.add(s.name());
                }
            } else {
                Func f = new Func(s.name(), image.module, elf.sections().get(s.section()), s.value(),
                        s.value() + s.size());
                f.id = all.size();
                all.add(f);
                image.funcs.add(f);
                image.byStart.put(s.value(), f);
            }
            if (s.bind() != ElfFile.STB_LOCAL) {
                exported.putIfAbsent(s.name(), image.byStart.get(s.value()));
            }
        }
        image.starts = new long[image.funcs.size()];
        for (int i = 0; i < image.funcs.size(); i++) {
            image.starts[i] = image.funcs.get(i).start;
        }
        for (ElfFile.Symbol s : cold) {
            ElfFile.Symbol parent = parents.get(s.name().replaceAll("\\.cold(\\.\\d+)?$", ""));
            if (parent != null) {
                Func f = image.byStart.get(parent.value());
                f.coldParts.add(new long[] {s.value(), s.value() + s.size()});
                if (!image.withColdParts.contains(f)) {
                    image.withColdParts.add(f);
                }
            }
        }
        applyFdes(image, pendingFdes.remove(image));
    }

    private static Special special(String name) {
        if (name.equals("__fentry__") || name.contains("return_thunk") || name.equals("__x86_return_skl")) {
            return Special.IGNORED;
        }
        if (name.startsWith("__x86_indirect_") || name.startsWith("__SCT__")) {
            return Special.INDIRECT;
        }
        return null;
    }

    private void applyFdes(Image image, List<DebugFrame.Fde> fdes) {
        for (DebugFrame.Fde fde : fdes) {
            Func f = containing(image, fde.start());
            if (f == null) {
                continue;
            }
            f.hasFde = true;
            f.full = Math.max(f.full, fde.maxSpOffset());
            if (fde.framePointer()) {
                f.flags.add(Flag.LOWER_BOUND);
            }
        }
    }

    /** The function whose main part or {@code .cold} part holds {@code address}, or null. */
    private static Func containing(Image image, long address) {
        Func f = image.byStart.get(address);
        if (f != null) {
            return f;
        }
        int i = Arrays.binarySearch(image.starts, address);
        int candidate = i >= 0 ? i : -i - 2;
        if (candidate >= 0 && candidate < image.funcs.size() && image.funcs.get(candidate).contains(address)) {
            return image.funcs.get(candidate);
        }
        for (Func g : image.withColdParts) {
            if (g.contains(address)) {
                return g;
            }
        }
        return null;
    }

    private void decode(Image image, Func f) throws ElfFile.BadInput {
        decodeRange(image, f, f.start, f.end, true);
        for (long[] part : f.coldParts) {
            decodeRange(image, f, part[0], part[1], false);
        }
    }

    private void decodeRange(Image image, Func f, long start, long end, boolean entry) throws ElfFile.BadInput {
        ElfFile.Section section = f.section;
        Orc orc = image.orc;
        if (start < section.addr() || end > section.addr() + section.size()) {
            return;
        }
        ByteBuffer code = image.elf.bytes(section);
        int base = (int) (start - section.addr());
        int limit = (int) (end - section.addr());
        long[] orcIps = orc == null ? new long[0] : orc.ipsIn(start, end);
        int nextOrc = 0;
        X86.Insn insn = new X86.Insn();
        boolean prologue = entry;
        boolean assembly = image.haveCfi && !f.hasFde;
        int depth = 8;
        for (int at = base; at < limit; at += insn.length) {
            long address = section.addr() + at;
            while (nextOrc < orcIps.length && orcIps[nextOrc] < address) {
                orcMisses++;
                nextOrc++;
            }
            if (nextOrc < orcIps.length && orcIps[nextOrc] == address) {
                orcChecked++;
                nextOrc++;
            }
            X86.decode(code, at, limit, insn);
            if (insn.kind == X86.Kind.BAD) {
                undecoded++;
                return;
            }
            long target = section.addr() + insn.value;
            // In a module, a call's rel32 is filled in at load time: its relocation names the target.
            ElfFile.Relocation relocation = insn.relOffset < 0 ? null : image.relocations.get(section.addr() + insn.relOffset);
            String external = null;
            if (relocation != null) {
                if (relocation.symbol().defined()) {
                    target = relocation.symbol().value() + relocation.addend() + 4;
                } else {
                    external = relocation.symbol().name();
                }
            }
            Special special = external != null ? special(external) : image.specials.get(target);
            boolean hook = insn.kind == X86.Kind.CALL && special == Special.IGNORED;
            switch (insn.kind) {
                case CALL -> call(image, f, target, external, special, false);
                case JUMP, JUMP_CONDITIONAL -> {
                    if (external != null || !f.contains(target)) {
                        call(image, f, target, external, special, true);
                    }
                }
                case CALL_INDIRECT, JUMP_INDIRECT -> f.indirect++;
                case SP_SUB -> {
                    f.locals = (int) Math.max(f.locals, insn.value);
                    depth += (int) insn.value;
                }
                case SP_ADD -> depth -= (int) insn.value;
                case PUSH -> depth += 8;
                case POP -> depth -= 8;
                case SP_VARIABLE -> f.flags.add(Flag.VARIABLE);
                case SP_ALIGN -> f.flags.add(Flag.REALIGNED);
                case FRAME_POINTER_SET -> f.flags.add(Flag.LOWER_BOUND);
                default -> { }
            }
            // C code's frame is set up before its first branch; entry code's is followed to its end,
            // each path after an unconditional jump (irq_entries_start: a push and a jmp per vector) anew.
            if (prologue || assembly) {
                f.full = Math.max(f.full, depth);
                if (assembly && (insn.kind == X86.Kind.JUMP || insn.kind == X86.Kind.RETURN
                        || insn.kind == X86.Kind.JUMP_INDIRECT)) {
                    depth = 8;
                }
                if ((insn.kind == X86.Kind.CALL && !hook) || insn.kind == X86.Kind.JUMP || insn.kind == X86.Kind.JUMP_CONDITIONAL
                        || insn.kind == X86.Kind.RETURN || insn.kind == X86.Kind.CALL_INDIRECT
                        || insn.kind == X86.Kind.JUMP_INDIRECT) {
                    prologue = false;
                }
            }
        }
        orcMisses += orcIps.length - nextOrc;
    }

    private void call(Image image, Func from, long target, String external, Special special, boolean tail) {
        if (special == Special.IGNORED) {
            return;
        }
        if (special == Special.INDIRECT) {
            from.indirect++;
            return;
        }
        if (external != null) {
            (tail ? from.externalTailCalls : from.externalCalls).add(external);
            return;
        }
        Func callee = image.byStart.get(target);
        if (callee == null) {
            Func inside = containing(image, target);
            if (inside != null && inside != from) {
                midFunctionTargets++;
            }
            return;
        }
        (tail ? from.tailCalls : from.calls).add(callee.id);
    }

    /** A module's calls into vmlinux (or an earlier module) by the exported name; the rest are counted. */
    private void resolveExternalCalls() {
        for (Func f : all) {
            for (String name : f.externalCalls) {
                resolve(name, f.calls);
            }
            for (String name : f.externalTailCalls) {
                resolve(name, f.tailCalls);
            }
        }
    }

    private void resolve(String name, TreeSet<Integer> edges) {
        Func callee = exported.get(name);
        if (callee == null) {
            unresolved++;
        } else {
            edges.add(callee.id);
        }
    }

    private void frame(Image image, Func f) {
        Orc orc = image.orc;
        boolean haveCfi = image.haveCfi;
        boolean orcCovered = false;
        if (orc != null) {
            Orc.Frame frame = orc.frame(f.start, f.end);
            for (long[] part : f.coldParts) {
                Orc.Frame cold = orc.frame(part[0], part[1]);
                frame = new Orc.Frame(Math.max(frame.maxSpOffset(), cold.maxSpOffset()),
                        frame.framePointer() || cold.framePointer(), frame.covered() || cold.covered());
            }
            orcCovered = frame.covered() && frame.maxSpOffset() > 0;
            f.full = Math.max(f.full, frame.maxSpOffset());
            if (frame.framePointer()) {
                f.flags.add(Flag.LOWER_BOUND);
            }
        }
        if (haveCfi && !f.hasFde) {
            f.flags.add(Flag.ASSEMBLY);
        }
        if (!orcCovered && !f.hasFde) {
            f.flags.add(orc == null ? Flag.UNKNOWN : Flag.LOWER_BOUND);
        }
        if (f.flags.contains(Flag.REALIGNED) || f.flags.contains(Flag.VARIABLE)) {
            f.flags.add(Flag.LOWER_BOUND);
        }
        f.full = Math.max(f.full, 8);
    }

    /** One row per name, sorted; names shared by different functions become {@code name~2}, ... */
    private List<KernelData.Function> rows() {
        Map<String, List<Func>> byName = new HashMap<>();
        for (Func f : all) {
            for (String name : f.names) {
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
            }
        }
        record Named(String name, String symbol, Func func) {
        }
        List<Named> named = new ArrayList<>();
        for (Map.Entry<String, List<Func>> e : byName.entrySet()) {
            List<Func> same = e.getValue();
            same.sort(Comparator.comparingInt((Func g) -> g.id));
            for (int i = 0; i < same.size(); i++) {
                String name = i == 0 ? e.getKey() : e.getKey() + KernelData.DUPLICATE + (i + 1);
                named.add(new Named(name, e.getKey(), same.get(i)));
            }
        }
        named.sort(Comparator.comparing(Named::name));
        // Edges point at the row of a function's first name; its other names are rows of their own.
        int[] rowOfFunc = new int[all.size()];
        for (int i = 0; i < named.size(); i++) {
            if (named.get(i).func().names.get(0).equals(named.get(i).symbol())) {
                rowOfFunc[named.get(i).func().id] = i;
            }
        }
        List<KernelData.Function> rows = new ArrayList<>(named.size());
        for (Named n : named) {
            Func f = n.func();
            rows.add(new KernelData.Function(n.name(), f.module, f.full, f.locals, EnumSet.copyOf(f.flags),
                    f.indirect, indices(f.calls, rowOfFunc), indices(f.tailCalls, rowOfFunc)));
        }
        return rows;
    }

    private static int[] indices(TreeSet<Integer> funcIds, int[] rowOfFunc) {
        int[] rows = new int[funcIds.size()];
        int i = 0;
        for (int id : funcIds) {
            rows[i++] = rowOfFunc[id];
        }
        Arrays.sort(rows);
        return rows;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}

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
    record Stats(int functions, int rows, int orcEntries, int orcChecked, int orcMisses, int undecoded,
                 int midFunctionTargets) {
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

        Func(String name, ElfFile.Section section, long start, long end) {
            names.add(name);
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

    private final ElfFile elf;
    private final List<Func> funcs = new ArrayList<>();
    private final Map<Long, Func> byStart = new HashMap<>();
    private final Map<Long, Special> specials = new HashMap<>();
    private final List<Func> withColdParts = new ArrayList<>();
    private long[] starts;
    private int orcChecked;
    private int orcMisses;
    private int undecoded;
    private int midFunctionTargets;

    private Extractor(ElfFile elf) {
        this.elf = elf;
    }

    /**
     * @param release the kernel release, or null to read it from {@code linux_banner}
     * @param pkg     the Debian package it came from, as the header's {@code package} line, or {@code -}
     */
    static Result extract(Path vmlinux, String release, String pkg) throws IOException {
        ElfFile elf = ElfFile.open(vmlinux);
        if (elf.relocatable()) {
            throw new ElfFile.BadInput(vmlinux + ": a relocatable object (a module or a .o); give the linked vmlinux");
        }
        Extractor extractor = new Extractor(elf);
        List<ElfFile.Symbol> symbols = elf.symbols();
        String kernelRelease = release != null ? release : banner(elf, symbols);
        Orc.Layout layout = null;
        Orc orc = null;
        ElfFile.Section ipSection = elf.section(".orc_unwind_ip");
        ElfFile.Section entrySection = elf.section(".orc_unwind");
        if (ipSection != null && entrySection != null) {
            layout = Orc.Layout.of(kernelRelease);
            if (layout == null) {
                throw new ElfFile.BadInput(vmlinux + ": kernel " + kernelRelease + " has an ORC layout this reader does not"
                        + " know; supported: 4.14 to 6.2, 6.3, 6.4 and later");
            }
            orc = Orc.read(elf.bytes(ipSection), ipSection.addr(), elf.bytes(entrySection), layout);
        }
        ElfFile.Section frameSection = elf.section(".debug_frame");
        List<DebugFrame.Fde> fdes = frameSection == null ? List.of() : DebugFrame.read(elf.bytes(frameSection));
        if (orc == null && fdes.isEmpty()) {
            throw new ElfFile.BadInput(vmlinux + ": neither ORC (.orc_unwind) nor .debug_frame; frames cannot be read."
                    + " Use the vmlinux of the -dbg package, built with CONFIG_UNWINDER_ORC");
        }
        extractor.collect(symbols);
        extractor.applyFdes(fdes);
        for (Func f : extractor.funcs) {
            extractor.decode(f, orc, !fdes.isEmpty());
            extractor.frame(f, orc, !fdes.isEmpty());
        }
        List<KernelData.Function> rows = extractor.rows();
        String source = "vmlinux sha256:" + sha256(vmlinux);
        KernelData data = new KernelData(new KernelData.Header(kernelRelease, pkg, List.of(source),
                layout == null ? "none" : layout.since), rows);
        Stats stats = new Stats(extractor.funcs.size(), rows.size(), orc == null ? 0 : orc.size(), extractor.orcChecked,
                extractor.orcMisses, extractor.undecoded, extractor.midFunctionTargets);
        return new Result(data, stats);
    }

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

    private void collect(List<ElfFile.Symbol> symbols) {
        List<ElfFile.Symbol> cold = new ArrayList<>();
        List<ElfFile.Symbol> functions = new ArrayList<>();
        for (ElfFile.Symbol s : symbols) {
            if (s.section() <= 0 || s.section() >= elf.sections().size()
                    || !elf.sections().get(s.section()).executable()) {
                continue;
            }
            Special special = special(s.name());
            if (special != null) {
                specials.put(s.value(), special);
            }
            // Entry code (entry_SYSCALL_64, asm_exc_page_fault) is sized but untyped.
            boolean code = s.type() == ElfFile.STT_FUNC || s.type() == ElfFile.STT_NOTYPE;
            if (!code || special != null || s.size() == 0 || s.name().startsWith("__pfx_")
                    || s.name().startsWith("__cfi_")) {
                continue;
            }
            if (s.name().matches(".*\\.cold(\\.\\d+)?")) {
                cold.add(s);
            } else {
                functions.add(s);
            }
        }
        functions.sort(Comparator.comparingLong(ElfFile.Symbol::value).thenComparing(s -> s.bind() == ElfFile.STB_LOCAL)
                .thenComparing(ElfFile.Symbol::name));
        for (ElfFile.Symbol s : functions) {
            Func existing = byStart.get(s.value());
            if (existing != null) {
                if (!existing.names.contains(s.name())) {
                    existing.names.add(s.name());
                }
                continue;
            }
            Func f = new Func(s.name(), elf.sections().get(s.section()), s.value(), s.value() + s.size());
            funcs.add(f);
            byStart.put(s.value(), f);
        }
        starts = new long[funcs.size()];
        for (int i = 0; i < funcs.size(); i++) {
            funcs.get(i).id = i;
            starts[i] = funcs.get(i).start;
        }
        Map<String, Func> byName = new HashMap<>();
        for (Func f : funcs) {
            for (String name : f.names) {
                byName.putIfAbsent(name, f);
            }
        }
        for (ElfFile.Symbol s : cold) {
            Func parent = byName.get(s.name().replaceAll("\\.cold(\\.\\d+)?$", ""));
            if (parent != null) {
                parent.coldParts.add(new long[] {s.value(), s.value() + s.size()});
                if (!withColdParts.contains(parent)) {
                    withColdParts.add(parent);
                }
            } else {
                Func f = new Func(s.name(), elf.sections().get(s.section()), s.value(), s.value() + s.size());
                f.id = funcs.size();
                funcs.add(f);
                byStart.put(s.value(), f);
                starts = Arrays.copyOf(starts, funcs.size());
                starts[f.id] = f.start;
            }
        }
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

    private void applyFdes(List<DebugFrame.Fde> fdes) {
        for (DebugFrame.Fde fde : fdes) {
            Func f = containing(fde.start());
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
    private Func containing(long address) {
        Func f = byStart.get(address);
        if (f != null) {
            return f;
        }
        int i = Arrays.binarySearch(starts, address);
        int candidate = i >= 0 ? i : -i - 2;
        if (candidate >= 0 && candidate < funcs.size() && funcs.get(candidate).contains(address)) {
            return funcs.get(candidate);
        }
        for (Func g : withColdParts) {
            if (g.contains(address)) {
                return g;
            }
        }
        return null;
    }

    private void decode(Func f, Orc orc, boolean haveCfi) throws ElfFile.BadInput {
        decodeRange(f, f.start, f.end, orc, haveCfi, true);
        for (long[] part : f.coldParts) {
            decodeRange(f, part[0], part[1], orc, haveCfi, false);
        }
    }

    private void decodeRange(Func f, long start, long end, Orc orc, boolean haveCfi, boolean entry) throws ElfFile.BadInput {
        ElfFile.Section section = f.section;
        if (start < section.addr() || end > section.addr() + section.size()) {
            return;
        }
        ByteBuffer code = elf.bytes(section);
        int base = (int) (start - section.addr());
        int limit = (int) (end - section.addr());
        long[] orcIps = orc == null ? new long[0] : orc.ipsIn(start, end);
        int nextOrc = 0;
        X86.Insn insn = new X86.Insn();
        boolean prologue = entry;
        boolean assembly = haveCfi && !f.hasFde;
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
            boolean hook = insn.kind == X86.Kind.CALL && specials.get(target) == Special.IGNORED;
            switch (insn.kind) {
                case CALL -> call(f, target, false);
                case JUMP, JUMP_CONDITIONAL -> {
                    if (!f.contains(target)) {
                        call(f, target, true);
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
            // C code's frame is set up before its first branch; entry code's is followed to its end.
            if (prologue || assembly) {
                f.full = Math.max(f.full, depth);
                if ((insn.kind == X86.Kind.CALL && !hook) || insn.kind == X86.Kind.JUMP || insn.kind == X86.Kind.JUMP_CONDITIONAL
                        || insn.kind == X86.Kind.RETURN || insn.kind == X86.Kind.CALL_INDIRECT
                        || insn.kind == X86.Kind.JUMP_INDIRECT) {
                    prologue = false;
                }
            }
        }
        orcMisses += orcIps.length - nextOrc;
    }

    private void call(Func from, long target, boolean tail) {
        Special special = specials.get(target);
        if (special == Special.IGNORED) {
            return;
        }
        if (special == Special.INDIRECT) {
            from.indirect++;
            return;
        }
        Func callee = byStart.get(target);
        if (callee == null) {
            Func inside = containing(target);
            if (inside != null && inside != from) {
                midFunctionTargets++;
            }
            return;
        }
        (tail ? from.tailCalls : from.calls).add(callee.id);
    }

    private void frame(Func f, Orc orc, boolean haveCfi) {
        boolean orcCovered = false;
        if (orc != null) {
            Orc.Frame frame = orc.frame(f.start, f.end);
            for (long[] part : f.coldParts) {
                Orc.Frame cold = orc.frame(part[0], part[1]);
                frame = new Orc.Frame(Math.max(frame.maxSpOffset(), cold.maxSpOffset()),
                        frame.framePointer() || cold.framePointer(), frame.regs() || cold.regs(),
                        frame.covered() || cold.covered());
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
        for (Func f : funcs) {
            for (String name : f.names) {
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
            }
        }
        record Named(String name, String symbol, Func func) {
        }
        List<Named> named = new ArrayList<>();
        for (Map.Entry<String, List<Func>> e : byName.entrySet()) {
            List<Func> same = e.getValue();
            same.sort(Comparator.comparingLong(g -> g.start));
            for (int i = 0; i < same.size(); i++) {
                String name = i == 0 ? e.getKey() : e.getKey() + KernelData.DUPLICATE + (i + 1);
                named.add(new Named(name, e.getKey(), same.get(i)));
            }
        }
        named.sort(Comparator.comparing(Named::name));
        // Edges point at the row of a function's first name; its other names are rows of their own.
        int[] rowOfFunc = new int[funcs.size()];
        for (int i = 0; i < named.size(); i++) {
            if (named.get(i).func().names.get(0).equals(named.get(i).symbol())) {
                rowOfFunc[named.get(i).func().id] = i;
            }
        }
        List<KernelData.Function> rows = new ArrayList<>(named.size());
        for (Named n : named) {
            Func f = n.func();
            rows.add(new KernelData.Function(n.name(), "vmlinux", f.full, f.locals, EnumSet.copyOf(f.flags),
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

package io.dynstack.agent.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A 64-bit little-endian ELF file (an x86-64 vmlinux, a kernel module, a test's binary), mapped
 * read-only: its sections and its symbol table. Only what the extractor reads.
 */
final class ElfFile {

    static final int SHT_SYMTAB = 2;
    static final int SHT_NOBITS = 8;
    static final long SHF_EXECINSTR = 0x4;
    static final int STT_NOTYPE = 0;
    static final int STT_FUNC = 2;
    static final int STB_LOCAL = 0;
    static final int ET_REL = 1;
    private static final int EM_X86_64 = 62;

    /**
     * @param addr where it is loaded; in a relocatable object (a module), where nothing is, its
     *             file offset, so that every section has addresses of its own
     */
    record Section(int index, String name, int type, long flags, long addr, long offset, long size, int link,
                   int info) {
        boolean executable() {
            return (flags & SHF_EXECINSTR) != 0;
        }
    }

    /**
     * @param value   its address (in a module: its section's address plus its offset there)
     * @param section the index of the section it is defined in, 0 if none (defined elsewhere)
     */
    record Symbol(String name, long value, long size, int type, int bind, int section) {
        boolean defined() {
            return section != 0;
        }
    }

    /** A relocation: at {@code address}, the value of {@code symbol} plus {@code addend}, in the way {@code type} says. */
    record Relocation(long address, int type, Symbol symbol, long addend) {
    }

    static final int SHT_RELA = 4;
    private static final int SHN_LORESERVE = 0xff00;

    /** A file that cannot be read as the extractor needs: the message is the one line to print. */
    static final class BadInput extends IOException {
        BadInput(String message) {
            super(message);
        }
    }

    private final String name;
    private final ByteBuffer data;
    private final int type;
    private final List<Section> sections;

    private ElfFile(String name, ByteBuffer data) throws BadInput {
        this.name = name;
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
        if (data.limit() < 64 || data.getInt(0) != 0x464c457f) {
            throw new BadInput(name + ": not an ELF file; give a vmlinux (or a .ko module) with its symbols");
        }
        if (data.get(4) != 2 || data.get(5) != 1 || data.getShort(18) != EM_X86_64) {
            throw new BadInput(name + ": not a 64-bit little-endian x86-64 ELF file; only x86-64 kernels are read");
        }
        type = data.getShort(16);
        sections = readSections();
    }

    static ElfFile open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return new ElfFile(file.toString(), map);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInput(file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInput(file + ": not readable (permission denied)");
        }
    }

    String name() {
        return name;
    }

    boolean relocatable() {
        return type == ET_REL;
    }

    List<Section> sections() {
        return sections;
    }

    Section section(String sectionName) {
        for (Section s : sections) {
            if (s.name().equals(sectionName)) {
                return s;
            }
        }
        return null;
    }

    /** A section's bytes, little-endian, positioned at 0. */
    ByteBuffer bytes(Section s) throws BadInput {
        if (s.type() == SHT_NOBITS) {
            return ByteBuffer.allocate(0);
        }
        if (s.offset() < 0 || s.size() < 0 || s.offset() + s.size() > data.limit()) {
            throw new BadInput(name + ": section " + s.name() + " runs past the end of the file; the file is truncated");
        }
        return data.slice((int) s.offset(), (int) s.size()).order(ByteOrder.LITTLE_ENDIAN);
    }

    List<Symbol> symbols() throws BadInput {
        Section symtab = null;
        for (Section s : sections) {
            if (s.type() == SHT_SYMTAB) {
                symtab = s;
            }
        }
        if (symtab == null) {
            throw new BadInput(name + ": no symbol table (.symtab); use the unstripped vmlinux of the -dbg package");
        }
        ByteBuffer strings = bytes(sections.get(symtab.link()));
        ByteBuffer table = bytes(symtab);
        int count = table.limit() / 24;
        List<Symbol> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = i * 24;
            int info = table.get(at + 4) & 0xff;
            int section = table.getShort(at + 6) & 0xffff;
            long value = table.getLong(at + 8);
            if (relocatable() && section > 0 && section < sections.size()) {
                value += sections.get(section).addr();
            }
            symbols.add(new Symbol(string(strings, table.getInt(at)), value, table.getLong(at + 16), info & 0xf,
                    info >>> 4, section >= SHN_LORESERVE ? 0 : section));
        }
        return symbols;
    }

    private List<Section> readSections() throws BadInput {
        long shoff = data.getLong(40);
        int shentsize = data.getShort(58) & 0xffff;
        int shnum = data.getShort(60) & 0xffff;
        int shstrndx = data.getShort(62) & 0xffff;
        if (shoff <= 0 || shentsize != 64 || shoff + (long) shnum * 64 > data.limit()) {
            throw new BadInput(name + ": no readable section headers; the file is truncated or not a kernel image");
        }
        long namesOffset = data.getLong((int) (shoff + shstrndx * 64L) + 24);
        long namesSize = data.getLong((int) (shoff + shstrndx * 64L) + 32);
        if (namesOffset + namesSize > data.limit()) {
            throw new BadInput(name + ": section names run past the end of the file; the file is truncated");
        }
        ByteBuffer names = data.slice((int) namesOffset, (int) namesSize);
        List<Section> list = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int at = (int) (shoff + i * 64L);
            long offset = data.getLong(at + 24);
            list.add(new Section(i, string(names, data.getInt(at)), data.getInt(at + 4), data.getLong(at + 8),
                    type == ET_REL ? offset : data.getLong(at + 16), offset, data.getLong(at + 32), data.getInt(at + 40),
                    data.getInt(at + 44)));
        }
        return List.copyOf(list);
    }

    /** The relocations that apply to {@code target}, by the address they apply at. */
    java.util.Map<Long, Relocation> relocations(Section target, List<Symbol> symbols) throws BadInput {
        java.util.Map<Long, Relocation> found = new java.util.HashMap<>();
        for (Section s : sections) {
            if (s.type() != SHT_RELA || s.info() != target.index()) {
                continue;
            }
            ByteBuffer table = bytes(s);
            for (int at = 0; at + 24 <= table.limit(); at += 24) {
                long info = table.getLong(at + 8);
                int symbol = (int) (info >>> 32);
                if (symbol >= symbols.size()) {
                    throw new BadInput(name + ": a relocation in " + s.name() + " names symbol " + symbol
                            + ", past the symbol table; the file is damaged");
                }
                long address = target.addr() + table.getLong(at);
                found.put(address, new Relocation(address, (int) info, symbols.get(symbol), table.getLong(at + 16)));
            }
        }
        return found;
    }

    private static String string(ByteBuffer table, int offset) {
        int end = offset;
        while (end < table.limit() && table.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        table.get(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}

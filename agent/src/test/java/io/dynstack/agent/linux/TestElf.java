package io.dynstack.agent.linux;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes a minimal x86-64 ELF executable byte by byte: the sections and symbols a test names. */
final class TestElf {

    private record Section(String name, int type, long flags, long addr, byte[] bytes, int link, int entsize) {
    }

    private record Symbol(String name, long value, long size, int type, int section) {
    }

    private final List<Section> sections = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();

    /** Adds a section; returns its index (the null section is 0). */
    int section(String name, int type, long flags, long addr, byte[] bytes) {
        sections.add(new Section(name, type, flags, addr, bytes, 0, 0));
        return sections.size();
    }

    TestElf function(String name, long value, long size, int section) {
        symbols.add(new Symbol(name, value, size, ElfFile.STT_FUNC, section));
        return this;
    }

    TestElf object(String name, long value, long size, int section) {
        symbols.add(new Symbol(name, value, size, 1, section));
        return this;
    }

    byte[] bytes(boolean withSymbols) {
        List<Section> all = new ArrayList<>(sections);
        if (withSymbols) {
            ByteArrayOutputStream strtab = new ByteArrayOutputStream();
            strtab.write(0);
            ByteBuffer symtab = ByteBuffer.allocate(24 * (symbols.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
            symtab.position(24);
            for (Symbol s : symbols) {
                symtab.putInt(strtab.size());
                strtab.writeBytes((s.name() + "\0").getBytes(StandardCharsets.ISO_8859_1));
                symtab.put((byte) ((1 << 4) | s.type()));
                symtab.put((byte) 0);
                symtab.putShort((short) s.section());
                symtab.putLong(s.value());
                symtab.putLong(s.size());
            }
            int strtabIndex = all.size() + 2;
            all.add(new Section(".symtab", ElfFile.SHT_SYMTAB, 0, 0, symtab.array(), strtabIndex, 24));
            all.add(new Section(".strtab", 3, 0, 0, strtab.toByteArray(), 0, 0));
        }
        ByteArrayOutputStream shstrtab = new ByteArrayOutputStream();
        shstrtab.write(0);
        int[] nameOffsets = new int[all.size() + 1];
        for (int i = 0; i < all.size(); i++) {
            nameOffsets[i] = shstrtab.size();
            shstrtab.writeBytes((all.get(i).name() + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }
        nameOffsets[all.size()] = shstrtab.size();
        shstrtab.writeBytes(".shstrtab\0".getBytes(StandardCharsets.ISO_8859_1));
        all.add(new Section(".shstrtab", 3, 0, 0, shstrtab.toByteArray(), 0, 0));

        long[] offsets = new long[all.size()];
        long at = 64;
        for (int i = 0; i < all.size(); i++) {
            at = (at + 7) & ~7L;
            offsets[i] = at;
            at += all.get(i).bytes().length;
        }
        long shoff = (at + 7) & ~7L;
        int count = all.size() + 1;
        ByteBuffer out = ByteBuffer.allocate((int) (shoff + 64L * count)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x464c457f).put((byte) 2).put((byte) 1).put((byte) 1);
        out.position(16);
        out.putShort((short) 2).putShort((short) 62).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0);
        out.putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64)
                .putShort((short) count).putShort((short) (count - 1));
        for (int i = 0; i < all.size(); i++) {
            out.put((int) offsets[i], all.get(i).bytes());
        }
        out.position((int) shoff + 64);
        for (int i = 0; i < all.size(); i++) {
            Section s = all.get(i);
            out.putInt(nameOffsets[i]).putInt(s.type()).putLong(s.flags()).putLong(s.addr()).putLong(offsets[i])
                    .putLong(s.bytes().length).putInt(s.link()).putInt(0).putLong(8).putLong(s.entsize());
        }
        return out.array();
    }
}

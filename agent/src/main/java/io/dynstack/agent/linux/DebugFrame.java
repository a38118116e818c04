package io.dynstack.agent.linux;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DWARF call-frame information of {@code .debug_frame}: for each FDE (one function, or one
 * part of one), the largest CFA offset while the CFA is rsp-based, which is the frame with its
 * return address, and whether the CFA moved to rbp (a frame pointer: the size is then not known
 * from the CFI). Only the CFA rules are followed; register rules are skipped over.
 */
final class DebugFrame {

    private static final int DWARF_RSP = 7;
    private static final int DWARF_RBP = 6;

    /** @param start the first address covered; {@code end} the first one past it */
    record Fde(long start, long end, int maxSpOffset, boolean framePointer) {
    }

    private DebugFrame() {
    }

    /** Where an FDE's start address is read: its offset in the section and the value there; a module's is relocated. */
    interface Locations {
        long at(int offset, long raw);
    }

    static List<Fde> read(ByteBuffer section, Locations locations) throws ElfFile.BadInput {
        List<Fde> fdes = new ArrayList<>();
        Map<Integer, Cie> cies = new HashMap<>();
        int at = 0;
        while (at + 4 <= section.limit()) {
            long length = section.getInt(at) & 0xffffffffL;
            if (length == 0xffffffffL) {
                throw new ElfFile.BadInput(".debug_frame: 64-bit DWARF is not read; only 32-bit DWARF CFI");
            }
            int start = at;
            int body = at + 4;
            int end = (int) (body + length);
            if (length == 0) {
                at = body;
                continue;
            }
            if (end > section.limit()) {
                throw new ElfFile.BadInput(".debug_frame: an entry at " + start + " runs past the section; the file is damaged");
            }
            int id = section.getInt(body);
            if (id == -1) {
                cies.put(start, cie(section, body + 4, end));
            } else {
                Cie cie = cies.get(id);
                if (cie == null) {
                    cie = cie(section, id + 8, (int) (id + 4 + (section.getInt(id) & 0xffffffffL)));
                    cies.put(id, cie);
                }
                long location = locations.at(body + 4, section.getLong(body + 4));
                long range = section.getLong(body + 12);
                int[] state = {cie.cfaRegister, cie.cfaOffset, cie.maxSpOffset, cie.framePointer ? 1 : 0};
                run(section, body + 20, end, cie.dataAlign, state);
                fdes.add(new Fde(location, location + range, state[2], state[3] != 0));
            }
            at = end;
        }
        return fdes;
    }

    private record Cie(int dataAlign, int cfaRegister, int cfaOffset, int maxSpOffset, boolean framePointer) {
    }

    private static Cie cie(ByteBuffer s, int at, int end) throws ElfFile.BadInput {
        int version = s.get(at++) & 0xff;
        StringBuilder augmentation = new StringBuilder();
        while (s.get(at) != 0) {
            augmentation.append((char) s.get(at++));
        }
        at++;
        if (!augmentation.isEmpty()) {
            throw new ElfFile.BadInput(".debug_frame: CIE augmentation '" + augmentation + "' is not read");
        }
        if (version >= 4) {
            at += 2;
        }
        long[] cursor = {at};
        uleb(s, cursor);
        int dataAlign = (int) sleb(s, cursor);
        if (version == 1) {
            cursor[0]++;
        } else {
            uleb(s, cursor);
        }
        int[] state = {DWARF_RSP, 8, 8, 0};
        run(s, (int) cursor[0], end, dataAlign, state);
        return new Cie(dataAlign, state[0], state[1], state[2], state[3] != 0);
    }

    /** Runs a CFA program; {@code state} is {cfa register, cfa offset, max rsp offset, frame pointer seen}. */
    private static void run(ByteBuffer s, int at, int end, int dataAlign, int[] state) throws ElfFile.BadInput {
        Deque<int[]> remembered = new ArrayDeque<>();
        long[] c = {at};
        while (c[0] < end) {
            int op = s.get((int) c[0]++) & 0xff;
            int high = op & 0xc0;
            if (high == 0x40 || high == 0xc0) {
                continue;
            }
            if (high == 0x80) {
                uleb(s, c);
                continue;
            }
            switch (op) {
                case 0x00 -> { }
                case 0x01 -> c[0] += 8;
                case 0x02 -> c[0] += 1;
                case 0x03 -> c[0] += 2;
                case 0x04 -> c[0] += 4;
                case 0x05, 0x09, 0x14 -> {
                    uleb(s, c);
                    uleb(s, c);
                }
                case 0x06, 0x07, 0x08, 0x2e -> uleb(s, c);
                case 0x0a -> remembered.push(new int[] {state[0], state[1]});
                case 0x0b -> {
                    int[] saved = remembered.isEmpty() ? new int[] {state[0], state[1]} : remembered.pop();
                    state[0] = saved[0];
                    state[1] = saved[1];
                }
                case 0x0c -> {
                    state[0] = (int) uleb(s, c);
                    state[1] = (int) uleb(s, c);
                }
                case 0x0d -> state[0] = (int) uleb(s, c);
                case 0x0e -> state[1] = (int) uleb(s, c);
                case 0x0f -> {
                    c[0] += uleb(s, c);
                    state[3] = 1;
                }
                case 0x10, 0x16 -> {
                    uleb(s, c);
                    c[0] += uleb(s, c);
                }
                case 0x11, 0x15, 0x2f -> {
                    uleb(s, c);
                    sleb(s, c);
                }
                case 0x12 -> {
                    state[0] = (int) uleb(s, c);
                    state[1] = (int) (sleb(s, c) * dataAlign);
                }
                case 0x13 -> state[1] = (int) (sleb(s, c) * dataAlign);
                default -> throw new ElfFile.BadInput(".debug_frame: unknown call-frame instruction 0x"
                        + Integer.toHexString(op) + "; the file is damaged or of a newer DWARF");
            }
            if (state[0] == DWARF_RSP) {
                state[2] = Math.max(state[2], state[1]);
            } else if (state[0] == DWARF_RBP) {
                state[3] = 1;
            }
        }
    }

    private static long uleb(ByteBuffer s, long[] c) {
        return leb128(s, c, false);
    }

    private static long sleb(ByteBuffer s, long[] c) {
        return leb128(s, c, true);
    }

    private static long leb128(ByteBuffer s, long[] c, boolean signed) {
        long value = 0;
        int shift = 0;
        int b;
        do {
            b = s.get((int) c[0]++) & 0xff;
            value |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (signed && shift < 64 && (b & 0x40) != 0) {
            value |= -1L << shift;
        }
        return value;
    }
}

package io.dynstack.agent.linux;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A kernel's ORC unwind table: objtool's record, made from the machine code, of where the
 * previous stack pointer is at every instruction. {@code .orc_unwind_ip} holds each entry's
 * address relative to itself; {@code .orc_unwind} the 6-byte entries, sorted by address:
 *
 * <pre>
 *   s16 sp_offset; s16 bp_offset; u16 flags
 *                     bits 0-3 sp_reg, 4-7 bp_reg, then
 *   4.14 to 6.2:      8-9 type (CALL 0, REGS 1, REGS_PARTIAL 2), 10 end
 *   6.3:              8-9 type (as above), 10 signal, 11 end
 *   6.4 and later:    8-10 type (UNDEFINED 0, END_OF_STACK 1, CALL 2, REGS 3, REGS_PARTIAL 4), 11 signal
 * </pre>
 *
 * An entry holds from its address up to the next entry's. With {@code sp_reg} SP the previous
 * stack pointer is {@code sp + sp_offset}, so {@code sp_offset} is the frame at that point,
 * return address included; with BP the frame is tracked through the frame pointer and its size is
 * not in the table.
 */
final class Orc {

    enum Layout {
        V4_14("4.14"), V6_3("6.3"), V6_4("6.4");

        final String since;

        Layout(String since) {
            this.since = since;
        }

        /** The layout of a kernel release such as {@code 6.12.117+deb12-cloud-amd64}; null before ORC. */
        static Layout of(String release) {
            String[] parts = release.split("[.-]", 3);
            int major;
            int minor;
            try {
                major = Integer.parseInt(parts[0]);
                minor = Integer.parseInt(parts[1].replaceAll("\\D.*", ""));
            } catch (RuntimeException e) {
                return null;
            }
            int version = major * 1000 + minor;
            if (version < 4014) {
                return null;
            }
            return version < 6003 ? V4_14 : version == 6003 ? V6_3 : V6_4;
        }
    }

    static final int REG_BP = 4;
    static final int REG_SP = 5;

    /** What the extractor takes from one entry. */
    enum Type {
        CALL, REGS, OTHER
    }

    private final long[] ips;
    private final short[] spOffsets;
    private final byte[] spRegs;
    private final Type[] types;

    private Orc(long[] ips, short[] spOffsets, byte[] spRegs, Type[] types) {
        this.ips = ips;
        this.spOffsets = spOffsets;
        this.spRegs = spRegs;
        this.types = types;
    }

    /** Reads the entries; {@code addresses[i]} is where entry {@code i} starts to hold. */
    static Orc read(long[] addresses, ByteBuffer entries, Layout layout) throws ElfFile.BadInput {
        int count = addresses.length;
        if (entries.limit() != count * 6) {
            throw new ElfFile.BadInput("ORC tables disagree: " + count + " addresses but " + entries.limit() / 6.0
                    + " entries; the file is damaged");
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        // vmlinux is sorted at build time, a module only when it is loaded.
        Arrays.sort(order, (a, b) -> Long.compare(addresses[a], addresses[b]));
        long[] ips = new long[count];
        short[] spOffsets = new short[count];
        byte[] spRegs = new byte[count];
        Type[] types = new Type[count];
        for (int k = 0; k < count; k++) {
            int i = order[k];
            ips[k] = addresses[i];
            spOffsets[k] = entries.getShort(6 * i);
            int flags = entries.getShort(6 * i + 4) & 0xffff;
            spRegs[k] = (byte) (flags & 0xf);
            types[k] = type(flags, layout);
        }
        return new Orc(ips, spOffsets, spRegs, types);
    }

    private static Type type(int flags, Layout layout) {
        if (layout == Layout.V6_4) {
            int type = (flags >>> 8) & 7;
            return type == 2 ? Type.CALL : type == 3 || type == 4 ? Type.REGS : Type.OTHER;
        }
        int type = (flags >>> 8) & 3;
        boolean end = (flags >>> (layout == Layout.V4_14 ? 10 : 11) & 1) != 0;
        if (end) {
            return Type.OTHER;
        }
        return type == 0 ? Type.CALL : Type.REGS;
    }

    /** What the entries covering {@code [start, end)} say of a function's frame. */
    record Frame(int maxSpOffset, boolean framePointer, boolean covered) {
    }

    Frame frame(long start, long end) {
        int i = lastAtOrBefore(start);
        int max = 0;
        boolean framePointer = false;
        boolean covered = false;
        for (i = Math.max(i, 0); i < ips.length && ips[i] < end; i++) {
            if (i + 1 < ips.length && ips[i + 1] <= start) {
                continue;
            }
            if (types[i] == Type.OTHER) {
                continue;
            }
            covered = true;
            if (spRegs[i] == REG_SP) {
                max = Math.max(max, spOffsets[i]);
            } else if (spRegs[i] == REG_BP) {
                framePointer = true;
            }
        }
        return new Frame(max, framePointer, covered);
    }

    /** The entry addresses in {@code [start, end)}, ascending. */
    long[] ipsIn(long start, long end) {
        int from = lastAtOrBefore(start - 1) + 1;
        int to = from;
        while (to < ips.length && ips[to] < end) {
            to++;
        }
        return Arrays.copyOfRange(ips, from, to);
    }

    private int lastAtOrBefore(long address) {
        int lo = 0;
        int hi = ips.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ips[mid] <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}

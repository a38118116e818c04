package io.dynstack.agent.linux;

import java.nio.ByteBuffer;

/**
 * An x86-64 instruction length decoder that also names the few instructions the extractor cares
 * about: calls, jumps, returns and the ones that move rsp. Kernel C code is plain integer code
 * (no SSE, no AVX), so the one-, two- and three-byte opcode maps cover it; VEX and EVEX prefixes
 * are decoded for length only. A byte sequence it cannot decode is reported as {@link Kind#BAD},
 * and the extractor then stops reading that function rather than guess.
 */
final class X86 {

    enum Kind {
        OTHER,
        /** {@code call rel32}. */
        CALL,
        /** {@code call *r/m}: through a register or memory. */
        CALL_INDIRECT,
        /** {@code jmp rel8/rel32}. */
        JUMP,
        /** {@code jcc rel8/rel32}. */
        JUMP_CONDITIONAL,
        /** {@code jmp *r/m}. */
        JUMP_INDIRECT,
        RETURN,
        /** {@code push}: rsp moves down 8. */
        PUSH,
        /** {@code pop}: rsp moves up 8. */
        POP,
        /** {@code sub $imm,%rsp} or {@code add $-imm,%rsp}: {@link Insn#value} bytes allocated. */
        SP_SUB,
        /** {@code add $imm,%rsp}: {@link Insn#value} bytes released. */
        SP_ADD,
        /** {@code and $-N,%rsp}: realignment to {@link Insn#value} bytes. */
        SP_ALIGN,
        /** rsp moved by a register amount ({@code sub %rax,%rsp}): alloca. */
        SP_VARIABLE,
        /** {@code leave}, {@code mov %reg,%rsp}, {@code lea N(%reg),%rsp}: sp restored, as epilogues and stack switches do. */
        SP_RESTORE,
        /** {@code mov %rsp,%rbp}: the frame pointer set up. */
        FRAME_POINTER_SET,
        BAD
    }

    /** One decoded instruction; reused from one instruction to the next. */
    static final class Insn {
        int length;
        Kind kind;
        /** For calls and jumps: the target's offset in the buffer; for rsp arithmetic: the amount. */
        long value;
        /** Offset of a call's or jump's rel32 field, -1 for rel8 or none: where a relocation would apply. */
        int relOffset;
    }

    private static final byte NONE = 0;
    private static final byte MODRM = 1;
    private static final byte MODRM_IB = 2;
    private static final byte MODRM_IZ = 3;
    private static final byte IB = 4;
    private static final byte IW = 5;
    private static final byte IZ = 6;
    private static final byte IV = 7;
    private static final byte INVALID = 8;
    private static final byte SPECIAL = 9;

    private static final byte[] ONE = new byte[256];
    private static final byte[] TWO = new byte[256];

    static {
        for (int op = 0; op < 0x40; op++) {
            int low = op & 7;
            ONE[op] = low < 4 ? MODRM : low == 4 ? IB : low == 5 ? IZ : INVALID;
        }
        for (int op : new int[] {0x26, 0x2e, 0x36, 0x3e, 0x0f}) {
            ONE[op] = SPECIAL;
        }
        fill(ONE, 0x40, 0x4f, SPECIAL);
        fill(ONE, 0x50, 0x5f, NONE);
        fill(ONE, 0x60, 0x62, INVALID);
        ONE[0x62] = SPECIAL;
        ONE[0x63] = MODRM;
        fill(ONE, 0x64, 0x67, SPECIAL);
        ONE[0x68] = IZ;
        ONE[0x69] = MODRM_IZ;
        ONE[0x6a] = IB;
        ONE[0x6b] = MODRM_IB;
        fill(ONE, 0x6c, 0x6f, NONE);
        fill(ONE, 0x70, 0x7f, IB);
        ONE[0x80] = MODRM_IB;
        ONE[0x81] = MODRM_IZ;
        ONE[0x82] = INVALID;
        ONE[0x83] = MODRM_IB;
        fill(ONE, 0x84, 0x8f, MODRM);
        fill(ONE, 0x90, 0x9f, NONE);
        ONE[0x9a] = INVALID;
        fill(ONE, 0xa0, 0xa3, SPECIAL);
        fill(ONE, 0xa4, 0xa7, NONE);
        ONE[0xa8] = IB;
        ONE[0xa9] = IZ;
        fill(ONE, 0xaa, 0xaf, NONE);
        fill(ONE, 0xb0, 0xb7, IB);
        fill(ONE, 0xb8, 0xbf, SPECIAL);
        ONE[0xc0] = MODRM_IB;
        ONE[0xc1] = MODRM_IB;
        ONE[0xc2] = IW;
        ONE[0xc3] = NONE;
        ONE[0xc4] = SPECIAL;
        ONE[0xc5] = SPECIAL;
        ONE[0xc6] = MODRM_IB;
        ONE[0xc7] = MODRM_IZ;
        ONE[0xc8] = SPECIAL;
        ONE[0xc9] = NONE;
        ONE[0xca] = IW;
        ONE[0xcb] = NONE;
        ONE[0xcc] = NONE;
        ONE[0xcd] = IB;
        ONE[0xce] = INVALID;
        ONE[0xcf] = NONE;
        fill(ONE, 0xd0, 0xd3, MODRM);
        fill(ONE, 0xd4, 0xd6, INVALID);
        ONE[0xd7] = NONE;
        fill(ONE, 0xd8, 0xdf, MODRM);
        fill(ONE, 0xe0, 0xe7, IB);
        ONE[0xe8] = IZ;
        ONE[0xe9] = IZ;
        ONE[0xea] = INVALID;
        ONE[0xeb] = IB;
        fill(ONE, 0xec, 0xef, NONE);
        fill(ONE, 0xf0, 0xf3, SPECIAL);
        ONE[0xf1] = NONE;
        ONE[0xf4] = NONE;
        ONE[0xf5] = NONE;
        ONE[0xf6] = SPECIAL;
        ONE[0xf7] = SPECIAL;
        fill(ONE, 0xf8, 0xfd, NONE);
        ONE[0xfe] = MODRM;
        ONE[0xff] = MODRM;

        fill(TWO, 0x00, 0xff, MODRM);
        for (int op : new int[] {0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
                0x7a, 0x7b, 0xa6, 0xa7}) {
            TWO[op] = INVALID;
        }
        for (int op : new int[] {0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0e, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x37,
                0x77, 0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa}) {
            TWO[op] = NONE;
        }
        fill(TWO, 0xc8, 0xcf, NONE);
        fill(TWO, 0x70, 0x73, MODRM_IB);
        for (int op : new int[] {0x0f, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6}) {
            TWO[op] = MODRM_IB;
        }
        fill(TWO, 0x80, 0x8f, IZ);
        TWO[0x38] = SPECIAL;
        TWO[0x3a] = SPECIAL;
    }

    private X86() {
    }

    private static void fill(byte[] table, int from, int to, byte value) {
        for (int i = from; i <= to; i++) {
            table[i] = value;
        }
    }

    /** Decodes the instruction at {@code at}, reading no byte at or past {@code limit}. */
    static void decode(ByteBuffer code, int at, int limit, Insn insn) {
        insn.kind = Kind.OTHER;
        insn.value = 0;
        insn.relOffset = -1;
        insn.length = 0;
        int p = at;
        boolean operandSize16 = false;
        boolean addressSize32 = false;
        int rex = 0;
        while (true) {
            if (p >= limit || p - at > 14) {
                insn.kind = Kind.BAD;
                return;
            }
            int b = code.get(p) & 0xff;
            if (b == 0x66) {
                operandSize16 = true;
            } else if (b == 0x67) {
                addressSize32 = true;
            } else if (b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x26
                    || b == 0x64 || b == 0x65) {
                // lock, rep and segment prefixes change no length.
            } else {
                break;
            }
            p++;
        }
        int b = code.get(p) & 0xff;
        if (b >= 0x40 && b <= 0x4f) {
            rex = b;
            p++;
            if (p >= limit) {
                insn.kind = Kind.BAD;
                return;
            }
            b = code.get(p) & 0xff;
        }
        boolean wide = (rex & 8) != 0;
        p++;
        int end;
        switch (b) {
            case 0x0f -> end = twoByte(code, p, limit, operandSize16, insn);
            case 0xc4, 0xc5 -> end = vex(code, p, limit, b == 0xc4);
            case 0x62 -> end = evex(code, p, limit);
            default -> end = oneByte(code, b, p, limit, operandSize16, addressSize32, wide, rex, insn);
        }
        if (end < 0 || end > limit) {
            insn.kind = Kind.BAD;
            return;
        }
        insn.length = end - at;
        if (insn.kind == Kind.CALL || insn.kind == Kind.JUMP || insn.kind == Kind.JUMP_CONDITIONAL) {
            insn.value = end + insn.value;
        }
    }

    private static int oneByte(ByteBuffer code, int op, int p, int limit, boolean operandSize16, boolean addressSize32,
                               boolean wide, int rex, Insn insn) {
        byte form = ONE[op];
        switch (op) {
            case 0xe8 -> {
                insn.kind = Kind.CALL;
                insn.relOffset = p;
                insn.value = rel32(code, p, limit);
                return p + 4;
            }
            case 0xe9 -> {
                insn.kind = Kind.JUMP;
                insn.relOffset = p;
                insn.value = rel32(code, p, limit);
                return p + 4;
            }
            case 0xeb -> {
                insn.kind = Kind.JUMP;
                insn.value = p < limit ? code.get(p) : 0;
                return p + 1;
            }
            case 0xc3, 0xc2 -> insn.kind = Kind.RETURN;
            case 0xc9 -> insn.kind = Kind.SP_RESTORE;
            case 0x6a, 0x68 -> insn.kind = Kind.PUSH;
            default -> {
                if (op >= 0x70 && op <= 0x7f) {
                    insn.kind = Kind.JUMP_CONDITIONAL;
                    insn.value = p < limit ? code.get(p) : 0;
                    return p + 1;
                }
                if (op >= 0x50 && op <= 0x57) {
                    insn.kind = Kind.PUSH;
                } else if (op >= 0x58 && op <= 0x5f) {
                    insn.kind = Kind.POP;
                }
            }
        }
        switch (form) {
            case NONE:
                return p;
            case IB:
                return p + 1;
            case IW:
                return p + 2;
            case IZ:
                return p + (operandSize16 ? 2 : 4);
            case MODRM:
            case MODRM_IB:
            case MODRM_IZ: {
                if (p >= limit) {
                    return -1;
                }
                int modrm = code.get(p) & 0xff;
                classifyModrm(code, op, modrm, p, limit, wide, rex, insn);
                int after = modrm(code, p, limit);
                if (after < 0) {
                    return -1;
                }
                return form == MODRM ? after : form == MODRM_IB ? after + 1 : after + (operandSize16 ? 2 : 4);
            }
            case SPECIAL:
                return special(code, op, p, limit, operandSize16, addressSize32, wide);
            default:
                return -1;
        }
    }

    private static void classifyModrm(ByteBuffer code, int op, int modrm, int p, int limit, boolean wide, int rex,
                                      Insn insn) {
        int mod = modrm >>> 6;
        int reg = (modrm >>> 3) & 7;
        int rm = modrm & 7;
        boolean rmIsRsp = mod == 3 && rm == 4 && (rex & 1) == 0;
        if (op == 0xff) {
            if (reg == 2 || reg == 3) {
                insn.kind = Kind.CALL_INDIRECT;
            } else if (reg == 4 || reg == 5) {
                insn.kind = Kind.JUMP_INDIRECT;
            } else if (reg == 6) {
                insn.kind = Kind.PUSH;
            }
        } else if (op == 0x8f && reg == 0) {
            insn.kind = Kind.POP;
        } else if (wide && rmIsRsp && (op == 0x83 || op == 0x81)) {
            int at = p + 1;
            long imm = op == 0x83 ? (at < limit ? code.get(at) : 0) : rel32(code, at, limit);
            if (reg == 5) {
                insn.kind = imm >= 0 ? Kind.SP_SUB : Kind.SP_ADD;
                insn.value = Math.abs(imm);
            } else if (reg == 0) {
                insn.kind = imm >= 0 ? Kind.SP_ADD : Kind.SP_SUB;
                insn.value = Math.abs(imm);
            } else if (reg == 4) {
                insn.kind = Kind.SP_ALIGN;
                insn.value = -imm;
            }
        } else if (wide && rmIsRsp && (op == 0x29 || op == 0x01 || op == 0x2b || op == 0x03)) {
            insn.kind = Kind.SP_VARIABLE;
        } else if (wide && mod == 3 && op == 0x89) {
            int source = reg | ((rex & 4) << 1);
            int target = rm | ((rex & 1) << 3);
            if (source == 4 && target == 5) {
                insn.kind = Kind.FRAME_POINTER_SET;
            } else if (target == 4) {
                insn.kind = Kind.SP_RESTORE;
            }
        } else if (wide && op == 0x8d && reg == 4 && (rex & 4) == 0) {
            insn.kind = Kind.SP_RESTORE;
        }
    }

    private static int special(ByteBuffer code, int op, int p, int limit, boolean operandSize16, boolean addressSize32,
                               boolean wide) {
        if (op >= 0xa0 && op <= 0xa3) {
            return p + (addressSize32 ? 4 : 8);
        }
        if (op >= 0xb8 && op <= 0xbf) {
            return p + (wide ? 8 : operandSize16 ? 2 : 4);
        }
        if (op == 0xc8) {
            return p + 3;
        }
        if (op == 0xf6 || op == 0xf7) {
            if (p >= limit) {
                return -1;
            }
            int reg = ((code.get(p) & 0xff) >>> 3) & 7;
            int after = modrm(code, p, limit);
            if (after < 0) {
                return -1;
            }
            if (reg > 1) {
                return after;
            }
            return after + (op == 0xf6 ? 1 : operandSize16 ? 2 : 4);
        }
        return -1;
    }

    private static int twoByte(ByteBuffer code, int p, int limit, boolean operandSize16, Insn insn) {
        if (p >= limit) {
            return -1;
        }
        int op = code.get(p) & 0xff;
        p++;
        if (op >= 0x80 && op <= 0x8f) {
            insn.kind = Kind.JUMP_CONDITIONAL;
            insn.relOffset = p;
            insn.value = rel32(code, p, limit);
            return p + 4;
        }
        if (op == 0xa0 || op == 0xa8) {
            insn.kind = Kind.PUSH;
        } else if (op == 0xa1 || op == 0xa9) {
            insn.kind = Kind.POP;
        }
        if (op == 0x38 || op == 0x3a) {
            if (p >= limit) {
                return -1;
            }
            p++;
            int after = modrm(code, p, limit);
            return after < 0 ? -1 : op == 0x3a ? after + 1 : after;
        }
        byte form = TWO[op];
        switch (form) {
            case NONE:
                return p;
            case IZ:
                return p + (operandSize16 ? 2 : 4);
            case MODRM:
            case MODRM_IB: {
                int after = modrm(code, p, limit);
                return after < 0 ? -1 : form == MODRM ? after : after + 1;
            }
            default:
                return -1;
        }
    }

    private static int vex(ByteBuffer code, int p, int limit, boolean threeByte) {
        int map = 1;
        if (threeByte) {
            if (p + 1 >= limit) {
                return -1;
            }
            map = code.get(p) & 0x1f;
            p += 2;
        } else {
            p += 1;
        }
        if (p >= limit) {
            return -1;
        }
        int op = code.get(p) & 0xff;
        p++;
        if (map == 1 && op == 0x77) {
            return p;
        }
        int after = modrm(code, p, limit);
        if (after < 0) {
            return -1;
        }
        boolean imm = map == 3 || (map == 1 && (TWO[op] == MODRM_IB));
        return imm ? after + 1 : after;
    }

    private static int evex(ByteBuffer code, int p, int limit) {
        if (p + 3 >= limit) {
            return -1;
        }
        int map = code.get(p) & 0x7;
        p += 3;
        int op = code.get(p) & 0xff;
        p++;
        int after = modrm(code, p, limit);
        if (after < 0) {
            return -1;
        }
        boolean imm = map == 3 || (map == 1 && (TWO[op] == MODRM_IB));
        return imm ? after + 1 : after;
    }

    /** The offset just past a ModRM byte at {@code p} with its SIB and displacement. */
    private static int modrm(ByteBuffer code, int p, int limit) {
        if (p >= limit) {
            return -1;
        }
        int modrm = code.get(p) & 0xff;
        p++;
        int mod = modrm >>> 6;
        int rm = modrm & 7;
        if (mod == 3) {
            return p;
        }
        if (rm == 4) {
            if (p >= limit) {
                return -1;
            }
            int sib = code.get(p) & 0xff;
            p++;
            if (mod == 0 && (sib & 7) == 5) {
                return p + 4;
            }
        } else if (mod == 0 && rm == 5) {
            return p + 4;
        }
        return mod == 1 ? p + 1 : mod == 2 ? p + 4 : p;
    }

    private static long rel32(ByteBuffer code, int p, int limit) {
        return p + 4 <= limit ? code.getInt(p) : 0;
    }
}

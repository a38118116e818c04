package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.linux.KernelData.Flag;
import io.dynstack.agent.linux.KernelData.Function;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The extractor on ELF files the test writes byte by byte: ORC in each layout, and bad input. */
class ExtractTest {

    @TempDir
    Path dir;

    /**
     * Three functions at 0x1000:
     * <pre>
     *   f1: push %rbx; sub $0x20,%rsp; call f2; add $0x20,%rsp; pop %rbx; ret   frame 8+8+32 = 48, locals 32
     *   f2: jmp f3                                                              tail call, frame 8
     *   f3: call *%rax; ret                                                     one indirect site, frame 8
     * </pre>
     * and an end-of-stack entry of sp_offset 400 at f3's ret, which only a wrong layout would count.
     */
    static byte[] orcKernel(String release, int callType, int endFlags) {
        byte[] text = new byte[0x40];
        byte[] f1 = {0x53, 0x48, (byte) 0x83, (byte) 0xec, 0x20, (byte) 0xe8, 0x16, 0, 0, 0,
                0x48, (byte) 0x83, (byte) 0xc4, 0x20, 0x5b, (byte) 0xc3};
        System.arraycopy(f1, 0, text, 0, f1.length);
        byte[] f2 = {(byte) 0xe9, 0x0b, 0, 0, 0};
        System.arraycopy(f2, 0, text, 0x20, f2.length);
        byte[] f3 = {(byte) 0xff, (byte) 0xd0, (byte) 0xc3};
        System.arraycopy(f3, 0, text, 0x30, f3.length);
        long[][] entries = {{0x1000, 8, callType}, {0x1001, 16, callType}, {0x1005, 48, callType},
                {0x100e, 16, callType}, {0x100f, 8, callType}, {0x1020, 8, callType}, {0x1030, 8, callType},
                {0x1032, 400, endFlags}};
        long ipAddress = 0x3000;
        ByteBuffer ips = ByteBuffer.allocate(4 * entries.length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer orc = ByteBuffer.allocate(6 * entries.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries.length; i++) {
            ips.putInt((int) (entries[i][0] - (ipAddress + 4L * i)));
            orc.putShort((short) entries[i][1]).putShort((short) 0)
                    .putShort((short) (Orc.REG_SP | (int) entries[i][2] << 8));
        }
        byte[] banner = ("Linux version " + release + " (debian-kernel@lists.debian.org) #1 SMP\0")
                .getBytes(StandardCharsets.US_ASCII);
        TestElf elf = new TestElf();
        int textIndex = elf.section(".text", 1, 6, 0x1000, text);
        int rodata = elf.section(".rodata", 1, 2, 0x2000, banner);
        elf.section(".orc_unwind_ip", 1, 2, ipAddress, ips.array());
        elf.section(".orc_unwind", 1, 2, 0x4000, orc.array());
        elf.function("f1", 0x1000, 0x10, textIndex).function("f2", 0x1020, 5, textIndex)
                .function("f3", 0x1030, 3, textIndex).object("linux_banner", 0x2000, banner.length, rodata);
        return elf.bytes(true);
    }

    @ParameterizedTest(name = "{0}: layout {3}")
    @CsvSource({
        // release, CALL type bits, end-of-stack bits, layout: 4.14-6.2 mark the end with bit 10, 6.3 with bit 11,
        // 6.4 has a 3-bit type with END_OF_STACK = 1 and CALL = 2.
        "6.1.0-47-cloud-amd64, 0, 4, 4.14",
        "6.3.7, 0, 8, 6.3",
        "6.12.117+deb12-cloud-amd64, 2, 1, 6.4"})
    void readsFramesLocalsAndEdgesFromOrcInEachLayout(String release, int callType, int endFlags, String layout)
            throws IOException {
        Path vmlinux = write("vmlinux", orcKernel(release, callType, endFlags));
        KernelData data = Extractor.extract(vmlinux, java.util.List.of(), null, "-").data();

        assertEquals(release, data.header().release());
        assertEquals(layout, data.header().orcLayout());
        Map<String, Integer> index = data.indexByName();
        Function f1 = data.function(index.get("f1"));
        Function f2 = data.function(index.get("f2"));
        Function f3 = data.function(index.get("f3"));
        assertEquals(48, f1.full());
        assertEquals(32, f1.locals());
        assertArrayEquals(new int[] {index.get("f2")}, f1.calls());
        assertArrayEquals(new int[] {index.get("f3")}, f2.tailCalls());
        assertEquals(0, f2.calls().length);
        assertEquals(8, f3.full(), "the end-of-stack entry is not a frame");
        assertEquals(1, f3.indirect());
        assertEquals(Set.of(), f1.flags());
    }

    @Test
    void theSameKernelGivesTheSameBytes() throws IOException {
        Path vmlinux = write("vmlinux", orcKernel("6.12.0", 2, 1));
        Path first = dir.resolve("a.kframes.gz");
        Path second = dir.resolve("b.kframes.gz");
        assertEquals(0, run("extract", vmlinux.toString(), "--out", first.toString()).status());
        assertEquals(0, run("extract", vmlinux.toString(), "--out", second.toString()).status());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void aKernelOlderThanOrcIsRefusedInOneLine() throws IOException {
        Path vmlinux = write("vmlinux", orcKernel("4.9.0-19-amd64", 0, 4));
        Path out = dir.resolve("k.kframes.gz");
        Result r = run("extract", vmlinux.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertEquals("dynstack extract: " + vmlinux + ": kernel 4.9.0-19-amd64 has an ORC layout this reader does not know;"
                + " supported: 4.14 to 6.2, 6.3, 6.4 and later\n", r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aFileThatIsNotElfIsOneLine() throws IOException {
        Path notElf = write("notes.txt", "just text\n".getBytes(StandardCharsets.US_ASCII));
        Path out = dir.resolve("k.kframes.gz");
        Result r = run("extract", notElf.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertEquals("dynstack extract: " + notElf + ": not an ELF file; give a vmlinux (or a .ko module) with its symbols\n",
                r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void anElfWithoutSymbolsOrWithoutUnwindTablesIsOneLine() throws IOException {
        TestElf stripped = new TestElf();
        stripped.section(".text", 1, 6, 0x1000, new byte[] {(byte) 0xc3});
        Path noSymbols = write("stripped", stripped.bytes(false));
        Result r = run("extract", noSymbols.toString(), "--out", dir.resolve("a.gz").toString(), "--release", "6.1.0");
        assertEquals(2, r.status());
        assertTrue(r.err().endsWith(": no symbol table (.symtab); use the unstripped vmlinux of the -dbg package\n"), r.err());
        assertEquals(1, r.err().lines().count());

        TestElf bare = new TestElf();
        int text = bare.section(".text", 1, 6, 0x1000, new byte[] {(byte) 0xc3});
        bare.function("f", 0x1000, 1, text);
        Path noOrc = write("bare", bare.bytes(true));
        r = run("extract", noOrc.toString(), "--out", dir.resolve("b.gz").toString(), "--release", "6.1.0");
        assertEquals(2, r.status());
        assertTrue(r.err().endsWith(": neither ORC (.orc_unwind) nor .debug_frame; frames cannot be read."
                + " Use the vmlinux of the -dbg package, built with CONFIG_UNWINDER_ORC\n"), r.err());
        assertFalse(Files.exists(dir.resolve("b.gz")));
    }

    @Test
    void badArgumentsAreOneLineAndHelpIsZero() throws IOException {
        Result missing = run("extract", "--out", dir.resolve("x").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().startsWith("dynstack extract: no vmlinux given; java -jar dynstack-agent.jar extract"),
                missing.err());
        Result unknown = run("extract", "vmlinux", "--bogus");
        assertEquals("dynstack extract: unknown option '--bogus'; " + ExtractCommand.USAGE.substring(7) + "\n", unknown.err());
        Result help = run("extract", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith(ExtractCommand.USAGE), help.out());
    }

    @Test
    void theDecoderMeasuresAndNamesKernelInstructions() {
        // bytes, length, kind, value: taken from the 6.12 vmlinux's own code (objdump's reading).
        Object[][] cases = {
            {"f30f1efa", 4, X86.Kind.OTHER, 0L},                       // endbr64
            {"e8c0a0ffff", 5, X86.Kind.CALL, 5L - 0x5f40},              // call rel32
            {"4881ece0030000", 7, X86.Kind.SP_SUB, 0x3e0L},             // sub $0x3e0,%rsp
            {"4883c480", 4, X86.Kind.SP_SUB, 128L},                     // add $-128,%rsp
            {"4883e4f0", 4, X86.Kind.SP_ALIGN, 16L},                    // and $-16,%rsp
            {"4829c4", 3, X86.Kind.SP_VARIABLE, 0L},                    // sub %rax,%rsp
            {"488d65d8", 4, X86.Kind.SP_RESTORE, 0L},                   // lea -0x28(%rbp),%rsp
            {"4889e5", 3, X86.Kind.FRAME_POINTER_SET, 0L},              // mov %rsp,%rbp
            {"4156", 2, X86.Kind.PUSH, 0L},                             // push %r14
            {"ff1579870b01", 6, X86.Kind.CALL_INDIRECT, 0L},            // call *pv_ops+0xf0(%rip)
            {"41ffd3", 3, X86.Kind.CALL_INDIRECT, 0L},                  // call *%r11
            {"0f8512340000", 6, X86.Kind.JUMP_CONDITIONAL, 6L + 0x3412}, // jne rel32
            {"65ff05c182f27e", 7, X86.Kind.OTHER, 0L},                  // incl %gs:rel(%rip)
            {"48b80000000000000080", 10, X86.Kind.OTHER, 0L},           // movabs $imm64,%rax
            {"66662e0f1f840000000000", 11, X86.Kind.OTHER, 0L},         // data16 cs nopw
            {"c5f877", 3, X86.Kind.OTHER, 0L},                          // vzeroupper
            {"f7c200000100", 6, X86.Kind.OTHER, 0L},                    // test $0x10000,%edx
            {"c3", 1, X86.Kind.RETURN, 0L}};
        X86.Insn insn = new X86.Insn();
        for (Object[] c : cases) {
            byte[] code = java.util.HexFormat.of().parseHex((String) c[0]);
            X86.decode(ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN), 0, code.length, insn);
            assertEquals(c[1], insn.length, (String) c[0]);
            assertEquals(c[2], insn.kind, (String) c[0]);
            if (!c[3].equals(0L)) {
                assertEquals(c[3], insn.value, (String) c[0]);
            }
        }
    }

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ExtractCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }
}

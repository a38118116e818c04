package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dynstack.agent.linux.KernelData.Function;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extractor on a program gcc compiles here with the kernel's code-generation flags (no red
 * zone, no SSE, retpolines), read from its {@code .debug_frame} (no ORC: objtool makes that) and
 * its machine code. The figures are worked out from {@code objdump -d} of the same binary.
 */
class ExtractGccTest {

    @TempDir
    static Path dir;
    static KernelData data;
    static Map<String, Integer> index;

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        for (String source : List.of("shapes.c", "thunk.s", "module.c")) {
            try (InputStream in = ExtractGccTest.class.getResourceAsStream(source)) {
                Files.write(dir.resolve(source), in.readAllBytes());
            }
        }
        gcc("-o", "shapes", "shapes.c", "thunk.s");
        gcc("-c", "-o", "module.o", "module.c");
        data = Extractor.extract(dir.resolve("shapes"), List.of(dir.resolve("module.o")), "test", "-").data();
        index = data.indexByName();
    }

    private static void gcc(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("gcc", "-O2", "-g", "-fno-asynchronous-unwind-tables",
                "-fno-pic", "-mno-red-zone", "-mno-sse", "-mno-mmx", "-fno-ipa-ra", "-mindirect-branch=thunk-extern",
                "-fno-stack-protector", "-nostdlib", "-static"));
        command.addAll(List.of(args));
        Process gcc = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        assertEquals(0, gcc.waitFor(), "gcc (installed by .ci/setup) failed: " + output);
    }

    private static Function f(String name) {
        return data.function(index.get(name));
    }

    @Test
    void aLargeLocalArrayIsItsLocalsAndItsFrame() {
        // push %rbx; sub $0xd0,%rsp: 8 return address + 8 + 208.
        assertEquals(224, f("big_locals").full());
        assertEquals(208, f("big_locals").locals());
        assertArrayEquals(new int[] {index.get("sink")}, f("big_locals").calls());
    }

    @Test
    void savedRegistersAreFrameButNotLocals() {
        // push %r12; push %rbp; push %rbx
        assertEquals(32, f("pushes_only").full());
        assertEquals(0, f("pushes_only").locals());
        assertArrayEquals(new int[] {index.get("big_locals")}, f("pushes_only").calls());
    }

    @Test
    void aTailCallIsAnEdgeOfItsOwn() {
        assertEquals(8, f("tail_caller").full());
        assertEquals(0, f("tail_caller").calls().length);
        assertArrayEquals(new int[] {index.get("big_locals")}, f("tail_caller").tailCalls());
    }

    @Test
    void aCallThroughAPointerIsAnIndirectSiteNotAnEdge() {
        // sub $0x8,%rsp; call __x86_indirect_thunk_rax
        assertEquals(16, f("through_pointer").full());
        assertEquals(1, f("through_pointer").indirect());
        assertEquals(0, f("through_pointer").calls().length);
        assertNull(index.get("__x86_indirect_thunk_rax"), "a retpoline thunk is not a function of the graph");
    }

    @Test
    void aModuleCallsIntoTheKernelByNameAndItsFramesComeFromRelocatedCfi() {
        // module.o: mod_helper pushes %rbx and subtracts 0x30; its call to big_locals is a relocation.
        Function helper = f("mod_helper");
        assertEquals("module", helper.module());
        assertEquals(64, helper.full());
        assertEquals(48, helper.locals());
        assertArrayEquals(new int[] {index.get("big_locals")}, helper.calls());
        assertEquals(Set.of(), helper.flags(), "its FDE was found through .rela.debug_frame");
        // mod_entry calls the local mod_helper, which the assembler resolved without a relocation.
        assertEquals(16, f("mod_entry").full());
        assertArrayEquals(new int[] {index.get("mod_helper")}, f("mod_entry").calls());
        assertEquals("vmlinux", f("big_locals").module());
    }

    @Test
    void aRecursivePairCallsEachOtherBehindTheirEarlyReturn() {
        // Shrink-wrapped: the sub $0x8,%rsp comes after the test; the CFI still sees it.
        assertEquals(16, f("is_even").full());
        assertEquals(16, f("is_odd").full());
        assertArrayEquals(new int[] {index.get("is_odd")}, f("is_even").calls());
        assertArrayEquals(new int[] {index.get("is_even")}, f("is_odd").calls());
        assertEquals(Set.of(), f("is_odd").flags());
    }
}

package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.linux.KernelData.Flag;
import io.dynstack.agent.linux.KernelData.Function;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelDataTest {

    static KernelData fixture() throws IOException {
        try (InputStream in = KernelDataTest.class.getResourceAsStream("futex-chain.kframes")) {
            return KernelData.read(in, "futex-chain.kframes");
        }
    }

    @Test
    void readsTheFixtureRowByRow() throws IOException {
        KernelData data = fixture();
        assertEquals("0.0.0-fixture", data.header().release());
        assertEquals(8, data.functions().size());
        Function futexWait = data.function(data.indexByName().get("futex_wait"));
        assertEquals(184, futexWait.full());
        assertEquals(120, futexWait.locals());
        assertArrayEquals(new int[] {6}, futexWait.calls());
        Function syscall = data.function(data.indexByName().get("do_syscall_64"));
        assertEquals(EnumSet.of(Flag.LOWER_BOUND, Flag.VARIABLE), syscall.flags());
        assertEquals(1, syscall.indirect());
        assertArrayEquals(new int[] {0}, data.function(data.indexByName().get("schedule")).tailCalls());
    }

    @Test
    void writesTheSameBytesItRead(@TempDir Path dir) throws IOException {
        byte[] original;
        try (InputStream in = KernelDataTest.class.getResourceAsStream("futex-chain.kframes")) {
            original = in.readAllBytes();
        }
        KernelData data = KernelData.decode(original, "fixture");
        assertArrayEquals(original, data.encode());
        Path file = dir.resolve("k.kframes.gz");
        data.write(file);
        byte[] first = Files.readAllBytes(file);
        data.write(file);
        assertArrayEquals(first, Files.readAllBytes(file), "the same data gives the same compressed bytes");
        assertEquals(data.functions().size(), KernelData.read(file).functions().size());
    }

    @Test
    void looksUpVariantsAndDuplicatesFromTheBaseName() throws IOException {
        List<Function> rows = List.of(
                new Function("show_info", "vmlinux", 40, 0, Set.of(), 0, new int[0], new int[0]),
                new Function("show_info.isra.0", "vmlinux", 72, 16, Set.of(), 0, new int[0], new int[0]),
                new Function("show_info~2", "vmlinux", 56, 0, Set.of(), 0, new int[0], new int[0]),
                new Function("show_infox", "vmlinux", 400, 0, Set.of(), 0, new int[0], new int[0]),
                new Function("walk.constprop.0", "vmlinux", 88, 0, Set.of(), 0, new int[0], new int[0]));
        KernelData data = new KernelData(new KernelData.Header("r", "-", List.of(), "none"), rows);
        Map<String, Integer> index = data.indexByName();
        assertEquals(40, data.lookup("show_info", index).full(), "an exact name wins");
        assertEquals(72, data.lookup("show_info.isra.0", index).full());
        assertEquals(88, data.lookup("walk", index).full(), "a base name finds its only variant");
        assertEquals(88, data.lookup("walk.constprop.3", index).full(), "another clone number finds the base's variants");
        assertNull(data.lookup("walker", index));
        assertEquals("show_info", KernelData.baseName("show_info.isra.0~2"));
    }

    @Test
    void refusesAFileWhoseRowsDoNotMatchItsHeader() throws IOException {
        byte[] bytes;
        try (InputStream in = KernelDataTest.class.getResourceAsStream("futex-chain.kframes")) {
            bytes = in.readAllBytes();
        }
        String text = new String(bytes, StandardCharsets.UTF_8).replace("futex_wait vmlinux 184", "futex_wait vmlinux 185");
        KernelData.FormatException e = assertThrows(KernelData.FormatException.class,
                () -> KernelData.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "bad"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        KernelData.FormatException notData = assertThrows(KernelData.FormatException.class,
                () -> KernelData.read(new ByteArrayInputStream("\u007fELF".getBytes(StandardCharsets.ISO_8859_1)), "x"));
        assertTrue(notData.getMessage().startsWith("x: not a kernel data file"), notData.getMessage());
    }
}

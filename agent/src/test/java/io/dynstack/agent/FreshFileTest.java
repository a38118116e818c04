package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshFileTest {

    @TempDir
    Path dir;

    @Test
    void eachCallCreatesANewEmptyFileNamedFromThePid() throws Exception {
        Path first = FreshFile.create(dir, "p-", ".jar");
        Path second = FreshFile.create(dir, "p-", ".jar");
        assertNotEquals(first, second);
        String prefix = "p-" + ProcessHandle.current().pid() + "-";
        for (Path file : new Path[] {first, second}) {
            assertEquals(dir, file.getParent());
            assertTrue(file.getFileName().toString().startsWith(prefix), file.toString());
            assertTrue(file.getFileName().toString().endsWith(".jar"), file.toString());
            assertEquals(0, Files.size(file));
        }
    }
}

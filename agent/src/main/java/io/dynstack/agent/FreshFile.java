package io.dynstack.agent;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A new file created by this JVM (never one found there), named from the pid and the clock.
 * Files.createTempFile would name it from a SecureRandom, whose seeding costs tens of
 * milliseconds at start-up, and the agent makes its files in premain.
 */
final class FreshFile {

    private FreshFile() {
    }

    static Path create(Path dir, String prefix, String suffix) throws IOException {
        String name = prefix + ProcessHandle.current().pid() + "-";
        for (int attempt = 0; ; attempt++) {
            Path file = dir.resolve(name + Long.toHexString(System.nanoTime()) + suffix);
            try {
                return Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }
}

package io.dynstack.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium, headless, as the browser tests drive it: it loads a page from a file, runs its
 * scripts and prints the resulting DOM; console messages (errors among them) go to its stderr as
 * {@code INFO:CONSOLE} lines. Absent chromium skips the test, unless {@code dynstack.browser.required}
 * is set (CI sets it after .ci/setup has installed chromium), which fails it.
 */
final class Chromium {

    /** The DOM after the page's scripts ran, and the console lines it logged. */
    record Loaded(String dom, List<String> console) {
    }

    private Chromium() {
    }

    static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "chromium");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if (Boolean.getBoolean("dynstack.browser.required")) {
            fail("chromium is not on the PATH and dynstack.browser.required is set: run .ci/setup");
        }
        Assumptions.abort("chromium is not on the PATH: the HTML pages are not tested in a browser here"
                + " (install it with .ci/setup)");
        return null;
    }

    static Loaded load(Path page) throws IOException, InterruptedException {
        Path chromium = find();
        // A fresh profile per page, next to it, so that the test's temporary directory takes it away.
        Path profile = Files.createDirectories(page.resolveSibling(page.getFileName() + ".profile"));
        Path stderr = page.resolveSibling(page.getFileName() + ".stderr");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--dump-dom",
                page.toUri().toString())
                .redirectError(stderr.toFile())
                .start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish loading " + page);
        assertEquals(0, p.exitValue(), "chromium's exit status for " + page + "; stderr: " + Files.readString(stderr));
        return new Loaded(dom, Files.readAllLines(stderr).stream().filter(l -> l.contains(":CONSOLE")).toList());
    }
}

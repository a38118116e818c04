package io.dynstack.agent.analyze;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The compiled test classes, and analyses of one fixture package at a time. */
final class Fixtures {

    static final String FIXTURE = "io.dynstack.agent.analyze.fixture.";

    private Fixtures() {
    }

    /** The directory the test classes are compiled into. */
    static Path testClasses() {
        try {
            return Path.of(Fixtures.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Analyses the test classes with the package {@code fixture.<name>} as kernel code. */
    static Analysis analyse(String fixture, int threshold, long margin) {
        return Analysis.run(ClassInput.read(testClasses().toString()),
                new Analysis.Options(List.of(FIXTURE + fixture + ".**"), threshold, margin));
    }

    static String key(Class<?> owner, String method, String desc) {
        return owner.getName() + "." + method + desc;
    }
}

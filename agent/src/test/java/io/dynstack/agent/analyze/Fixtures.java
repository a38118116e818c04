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

    /**
     * The test classes of this package and its fixtures, and nothing else: other tests' kernel
     * classes ({@code @KernelCode} ones are kernel code whatever the globs) stay out of the graphs.
     */
    static Path analyzeClasses() {
        return testClasses().resolve("io/dynstack/agent/analyze");
    }

    /** Analyses {@link #analyzeClasses()} with the package {@code fixture.<name>} as kernel code. */
    static Analysis analyse(String fixture, int threshold, long margin) {
        return Analysis.run(ClassInput.read(analyzeClasses().toString()),
                new Analysis.Options(List.of(FIXTURE + fixture + ".**"), threshold, margin));
    }

    static String key(Class<?> owner, String method, String desc) {
        return owner.getName() + "." + method + desc;
    }
}

package io.dynstack.agent.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds kernel data by what a user types: a data file's path, or the release of a kernel whose
 * data ships in the agent jar ({@code 6.12.117+deb12-cloud-amd64}, read from
 * {@code io/dynstack/agent/linux/linux-RELEASE.kframes.gz}).
 */
public final class KernelFiles {

    /** The committed kernel, the default of the results command. */
    public static final String COMMITTED = "6.12.117+deb12-cloud-amd64";

    private KernelFiles() {
    }

    /** The resource name of a shipped release. */
    public static String resource(String release) {
        return "linux-" + release + ".kframes.gz";
    }

    /** Reads {@code pathOrRelease}; a file that is not there and no such shipped release is one IOException. */
    public static KernelData read(String pathOrRelease) throws IOException {
        Path file = Path.of(pathOrRelease);
        if (Files.isRegularFile(file)) {
            return KernelData.read(file);
        }
        if (Files.exists(file)) {
            throw new IOException("'" + pathOrRelease + "' is not a file; give a kernel data file (.kframes.gz)");
        }
        try (InputStream in = KernelFiles.class.getResourceAsStream(resource(pathOrRelease))) {
            if (in != null) {
                return KernelData.read(in, resource(pathOrRelease));
            }
        }
        throw new IOException("'" + pathOrRelease + "' does not exist, and no kernel of that release ships in the jar"
                + " (the committed one is " + COMMITTED + ")");
    }
}

package io.dynstack.workloads;

import io.dynstack.agent.report.JsonText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one cell in a child JVM under the agent and reads its line back. */
final class CellRunner {

    static final String KERNEL_GLOB = "io.dynstack.workloads.kernel.**";

    private CellRunner() {
    }

    static List<String> command(Path agent, Workload workload, Map<String, Integer> params, Policy policy) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off",
                // A cell lives a second or two: C1 alone starts it sooner, and no simulated figure depends on the JIT.
                "-XX:TieredStopAtLevel=1",
                "-javaagent:" + agent + "=kernel=" + KERNEL_GLOB + ",cpus=" + workload.cpus(params) + ","
                        + policy.options(),
                "-cp", AgentJar.classes().toString(),
                Cell.class.getName(), workload.name()));
        params.forEach((k, v) -> command.add(k + "=" + v));
        return command;
    }

    static CellResult run(Path agent, Workload workload, Map<String, Integer> params, Policy policy,
                          long timeoutSeconds) {
        Path stderr = null;
        try {
            stderr = Files.createTempFile("dynstack-cell-", ".err");
            Process process = new ProcessBuilder(command(agent, workload, params, policy))
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close();
            String stdout = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return CellResult.error(workload.name(), policy.name(), "timed out after " + timeoutSeconds + " s");
            }
            for (String line : stdout.lines().toList()) {
                if (line.startsWith(Cell.MARKER)) {
                    return CellResult.parse(policy.name(), JsonText.parseObject(line.substring(Cell.MARKER.length())));
                }
            }
            List<String> err = Files.readAllLines(stderr);
            String last = err.stream().filter(l -> !l.isBlank() && !l.startsWith("\t")).reduce((a, b) -> b)
                    .orElse("no output");
            return CellResult.error(workload.name(), policy.name(), "exit " + process.exitValue() + ": " + last);
        } catch (IOException | RuntimeException e) {
            return CellResult.error(workload.name(), policy.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CellResult.error(workload.name(), policy.name(), "interrupted");
        } finally {
            if (stderr != null) {
                stderr.toFile().delete();
            }
        }
    }
}

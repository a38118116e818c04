package io.dynstack.testsupport;

/** A finished child JVM: its exit status and everything it wrote to stdout and stderr. */
public record Run(int exit, String stdout, String stderr) {
}

package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynstack.agent.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snapshot.schema.json describes the snapshots the command writes: of the fixture tree, and the committed real one. */
class SnapshotSchemaTest {

    private static final String SCHEMA = "/io/dynstack/agent/linux/snapshot.schema.json";

    @TempDir
    Path dir;

    @Test
    void aSnapshotOfTheFixtureTreeIsValid() throws IOException {
        for (StackPricing.KstackOffset offset : StackPricing.KstackOffset.values()) {
            String json = SnapshotCommand.take(ProcStacks.read(ProcFixture.write(dir.resolve("proc-" + offset))),
                    ProcFixture.data(), offset, Instant.parse("2026-12-01T21:00:00Z")).toJson();
            assertEquals(Set.of(), Schemas.validate(SCHEMA, json), json);
        }
    }

    @Test
    void theCommittedSnapshotOfTheBuildMachineIsValid() throws IOException {
        Path committed = Path.of("..", "sample-workloads", "src", "main", "resources", "io", "dynstack", "workloads",
                "snapshot", "build-machine.json");
        String json = Files.readString(committed);
        assertEquals(Set.of(), Schemas.validate(SCHEMA, json), committed.toString());
    }
}

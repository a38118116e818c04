package io.dynstack.agent.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.Schemas;
import io.dynstack.agent.analyze.fixture.diamond.Diamond;
import io.dynstack.agent.analyze.fixture.recursion.Recursion;
import io.dynstack.agent.analyze.fixture.reflect.Reflect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze.schema.json describes what analyze --json prints: bounded, unbounded, with and without placement. */
class AnalyzeSchemaTest {

    static final String SCHEMA = "/io/dynstack/agent/analyze/analyze.schema.json";
    private static final String KERNEL = "io.dynstack.agent.analyze.fixture.**";

    @TempDir
    Path dir;

    private String json(Class<?> fixture, String... more) throws IOException {
        Path classes = Files.createDirectories(dir.resolve(fixture.getSimpleName()));
        Files.copy(Fixtures.testClasses().resolve(fixture.getName().replace('.', '/') + ".class"),
                classes.resolve(fixture.getSimpleName() + ".class"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = new String[4 + more.length];
        args[0] = classes.toString();
        args[1] = "--kernel";
        args[2] = KERNEL;
        args[3] = "--json";
        System.arraycopy(more, 0, args, 4, more.length);
        assertEquals(0, AnalyzeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBoundedChainIsValid() throws IOException {
        String json = json(Diamond.class);
        assertEquals(Set.of(), Schemas.validate(SCHEMA, json), json);
    }

    @Test
    void aPlacementIsValid() throws IOException {
        String json = json(Diamond.class, "--margin", "64");
        assertTrue(json.contains("\"placement\":{\"margin\":64,"), json);
        assertEquals(Set.of(), Schemas.validate(SCHEMA, json), json);
    }

    @Test
    void anUnboundedRecursionIsValid() throws IOException {
        String json = json(Recursion.class);
        assertTrue(json.contains("\"unbounded\":true"), json);
        assertEquals(Set.of(), Schemas.validate(SCHEMA, json), json);
    }

    @Test
    void reflectiveCallersAreValid() throws IOException {
        String json = json(Reflect.class, "--margin", "128");
        assertEquals(Set.of(), Schemas.validate(SCHEMA, json), json);
    }

    @Test
    void aCamelCaseKeyFailsValidation() throws IOException {
        String json = json(Diamond.class).replace("\"classes_read\"", "\"classesRead\"");
        assertEquals(2, Schemas.validate(SCHEMA, json).size(), "classesRead is unknown and classes_read missing");
    }
}

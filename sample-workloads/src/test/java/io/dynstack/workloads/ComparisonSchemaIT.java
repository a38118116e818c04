package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** comparison.schema.json describes the comparison Compare writes, from cells run under the built agent. */
class ComparisonSchemaIT {

    private static Set<ValidationMessage> validate(String json) throws IOException {
        return Schemas.validate("comparison", json);
    }

    @Test
    void aComparisonWithAnOkAPanicAndAnErrorCellIsValid() throws IOException {
        Compare.Options options = new Compare.Options(List.of(), List.of(), 100, 1, Path.of("target"),
                Path.of(System.getProperty("dynstack.agent.jar")), Map.of());
        List<CellResult> cells = List.of(
                WorkloadsIT.cell("small-frame-chain", "dynamic-fault", Map.of("threads", 1)),
                WorkloadsIT.cell("small-frame-chain", "dynamic-check", Map.of("threads", 1)),
                CellResult.error("small-frame-chain", "fixed-16k", "the cell JVM did not start"));
        assertEquals(List.of("ok", "panic", "error"), cells.stream().map(CellResult::status).toList());
        String json = Compare.json(options, cells);
        assertTrue(json.startsWith("{\"schema_version\":1,\"model\":\"simulation\",\"threshold\":100,"), json);
        assertEquals(Set.of(), validate(json), json);
    }

    @Test
    void aCamelCaseKeyOrAMissingColumnFailsValidation() throws IOException {
        String json = """
                {"schema_version":1,"model":"simulation","threshold":100,"reference_thread_size":16384,"cells":[
                {"workload":"w","policy":"p","status":"ok","stacks":1,"baseBytes":16384}]}""";
        Set<String> problems = new TreeSet<>();
        validate(json).forEach(m -> problems.add(m.getType()));
        assertEquals(Set.of("required"), problems, "mapped_bytes and the rest are missing; baseBytes is an extra column");
    }
}

package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** report.schema.json describes every report the runtime writes, and nothing else. */
class ReportSchemaTest {

    static final String SCHEMA = "/io/dynstack/runtime/report.schema.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
        Report.describe(Map.of(), null);
    }

    static JsonNode schemaTree() throws IOException {
        try (InputStream in = ReportSchemaTest.class.getResourceAsStream(SCHEMA)) {
            assertTrue(in != null, SCHEMA + " is not on the class path");
            return MAPPER.readTree(in);
        }
    }

    static Set<ValidationMessage> validate(String report) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree());
        return schema.validate(MAPPER.readTree(report));
    }

    /** Every path through the feature set: reserves, IRQ stacks, a fault, a panic, expand_stack, a skipped class. */
    private static String reportOfABusyRun() throws InterruptedException {
        Kernel.configure(StackConfig.DEFAULT.withFault(FaultPolicy.GROW).withCpus(2).withReservePages(1)
                .withReleaseAtPark(true).withIrqStacks(true));
        WovenMethods.skipped("io.example.Huge", "MethodTooLargeException: Method too large: io.example.Huge.run ()V");
        // This method stands for a woven one, so that the per-method figures and the deepest chain have an entry.
        WovenMethods.Method self = new WovenMethods.Method(WovenMethods.nextId(), ReportSchemaTest.class.getName(),
                "reportOfABusyRun", "()Ljava/lang/String;", 6000, false, 0);
        WovenMethods.register(List.of(self));
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("kernel", List.of("io.example.**"));
        resolved.put("excludes", List.of());
        resolved.put("threshold", 100);
        resolved.put("threshold_basis", "frame");
        resolved.put("expand", true);
        resolved.put("methods", true);
        resolved.put("guarantee", null);
        resolved.put("report", "dynstack.json");
        resolved.put("verbose", "off");
        resolved.put("log", "stderr");
        // Options as given are a free-form map the schema types as strings; the agent's tests cover them.
        Report.describe(Map.of(), resolved);
        Thread other = new Thread(() -> Kernel.run(() -> {
            KernelStack ks = KernelStack.current();
            ks.noSleepEnter();
            ks.restore(ks.enterChecked(6000));
            ks.noSleepExit();
            ks.park();
        }));
        other.start();
        other.join();
        KernelStack ks = KernelStack.current();
        ks.restore(ks.enter(6000, self.id()));
        ks.expandStack(9000);
        Kernel.interrupt(() -> KernelStack.current().enter(200));
        assertThrows(KernelPanic.class, () -> ks.enterChecked(20_000));
        return Report.json(Kernel.stats());
    }

    @Test
    void aReportOfABusyRunIsValid() throws Exception {
        String report = reportOfABusyRun();
        assertEquals(Set.of(), validate(report), report);
        assertTrue(report.contains("\"classes_skipped\":[{\"class\":\"io.example.Huge\""), report);
    }

    @Test
    void aReportOfAnIdleKernelIsValid() throws Exception {
        Kernel.configure(StackConfig.DEFAULT.fixed());
        String report = Report.json(Kernel.stats());
        assertEquals(Set.of(), validate(report), report);
        assertTrue(report.contains("\"options_given\":{},\"options_resolved\":null"), report);
    }

    @Test
    void theSchemaDescribesExactlyTheKeysTheReportHas() throws Exception {
        Set<String> written = new TreeSet<>();
        keysOfReport("", MAPPER.readTree(reportOfABusyRun()), written);
        Set<String> described = new TreeSet<>();
        keysOfSchema("", schemaTree(), described);
        Set<String> undescribed = new TreeSet<>(written);
        undescribed.removeAll(described);
        assertEquals(Set.of(), undescribed, "report keys missing from " + SCHEMA + ": describe them there");
        Set<String> gone = new TreeSet<>(described);
        gone.removeAll(written);
        assertEquals(Set.of(), gone, "keys in " + SCHEMA + " that reports no longer have: a removal bumps the version");
    }

    @Test
    void everyDescribedKeyIsRequiredAndHasADescription() throws Exception {
        checkObjectSchema("", schemaTree());
    }

    private static void checkObjectSchema(String path, JsonNode schema) {
        JsonNode properties = schema.get("properties");
        assertFalse(schema.path("additionalProperties").asBoolean(true), path + " must not allow undescribed keys");
        Set<String> required = new TreeSet<>();
        schema.get("required").forEach(r -> required.add(r.asText()));
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        assertEquals(names, required, path + ": every key is always written, so every key is required");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            assertFalse(p.getValue().path("description").asText().isBlank(), path + p.getKey() + " has no description");
            JsonNode nested = p.getValue().has("items") ? p.getValue().get("items") : p.getValue();
            if (nested.has("properties")) {
                checkObjectSchema(path + p.getKey() + ".", nested);
            }
        }
    }

    @Test
    void theSchemaVersionIsTheReportsVersion() throws Exception {
        JsonNode schema = schemaTree();
        assertEquals("urn:dynstack:report:" + Report.SCHEMA_VERSION, schema.get("$id").asText());
        assertEquals(Report.SCHEMA_VERSION, schema.at("/properties/schema_version/const").asInt());
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
    }

    @Test
    void aNewKeyOrAWrongTypeFailsValidation() throws Exception {
        ObjectNode report = (ObjectNode) MAPPER.readTree(Report.json(Kernel.stats()));
        report.put("stack_colour", "blue");
        ((ObjectNode) report.get("config")).put("fault", "ignore");
        report.put("grows", -1);
        Set<String> where = new TreeSet<>();
        for (ValidationMessage m : validate(MAPPER.writeValueAsString(report))) {
            where.add(m.getType() + " " + m.getInstanceLocation() + (m.getProperty() == null ? "" : "." + m.getProperty()));
        }
        assertEquals(Set.of("additionalProperties $.stack_colour", "enum $.config.fault", "minimum $.grows"), where);
    }

    private static void keysOfReport(String path, JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                keys.add(path + e.getKey());
                keysOfReport(path + e.getKey() + (e.getValue().isArray() ? "[]." : "."), e.getValue(), keys);
            });
        } else if (node.isArray()) {
            node.forEach(item -> keysOfReport(path, item, keys));
        }
    }

    private static void keysOfSchema(String path, JsonNode schema, Set<String> keys) {
        schema.path("properties").fields().forEachRemaining(e -> {
            keys.add(path + e.getKey());
            JsonNode value = e.getValue();
            if (value.has("items")) {
                keysOfSchema(path + e.getKey() + "[].", value.get("items"), keys);
            } else {
                keysOfSchema(path + e.getKey() + ".", value, keys);
            }
        });
    }
}

package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/** Validates the project's JSON outputs against the schemas it ships (JSON Schema draft 2020-12). */
public final class Schemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Schemas() {
    }

    /** The problems of {@code json} against the schema at class-path resource {@code schema}; empty when valid. */
    public static Set<ValidationMessage> validate(String schema, String json) throws IOException {
        try (InputStream in = Schemas.class.getResourceAsStream(schema)) {
            assertTrue(in != null, schema + " is not on the class path");
            JsonNode tree = MAPPER.readTree(in);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(tree)
                    .validate(MAPPER.readTree(json));
        }
    }
}

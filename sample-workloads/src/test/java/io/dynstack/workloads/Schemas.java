package io.dynstack.workloads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/** Validates the JSON the workloads write against the schemas beside their classes (draft 2020-12). */
public final class Schemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Schemas() {
    }

    /** The problems of {@code json} against {@code /io/dynstack/workloads/NAME.schema.json}; empty when valid. */
    public static Set<ValidationMessage> validate(String name, String json) throws IOException {
        String schema = "/io/dynstack/workloads/" + name + ".schema.json";
        try (InputStream in = Schemas.class.getResourceAsStream(schema)) {
            assertTrue(in != null, schema + " is not on the class path");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(MAPPER.readTree(in))
                    .validate(MAPPER.readTree(json));
        }
    }
}

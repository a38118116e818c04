package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.report.JsonText;
import java.util.Map;

/** A figure of an agent's JSON report, read with the project's JSON reader. */
public final class ReportJson {

    private ReportJson() {
    }

    /** The top-level number {@code key} of {@code json}, whole (a fraction is cut off, as {@code (long)} does). */
    public static long number(String json, String key) {
        Map<String, Object> report = JsonText.parseObject(json);
        assertTrue(report.get(key) instanceof Number, key + " missing from " + json);
        return ((Number) report.get(key)).longValue();
    }
}

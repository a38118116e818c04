package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void theJsonReportHasEveryDocumentedKey() {
        Kernel.configure(StackConfig.DEFAULT);
        KernelStack.current().enterChecked(5000);
        Kernel.release();
        String json = Report.json(Kernel.stats());
        for (String key : new String[] {"stacks", "base_bytes", "mapped_bytes", "peak_mapped_bytes", "methods_woven",
                "checks_inserted", "checks_executed", "grows", "faults", "panics", "expand_calls", "max_depth_bytes"}) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing from " + json);
        }
        assertTrue(json.contains("\"peak_mapped_bytes\":8192,"), json);
        assertTrue(json.contains("\"max_depth_bytes\":5000,"), json);
        assertTrue(json.contains("\"fault\":\"panic\""), json);
    }

    @Test
    void jsonStringsAreEscaped() {
        String json = new Json().beginObject().member("a\"b", "line\nnext\\").endObject().toString();
        assertTrue(json.equals("{\"a\\\"b\":\"line\\nnext\\\\\"}"), json);
    }
}

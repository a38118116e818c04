package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReportTest {

    @AfterEach
    void forget() {
        Kernel.configure(StackConfig.DEFAULT);
        Report.describe(Map.of(), null);
    }

    /**
     * One stack of the default shape (16 KiB, 4 KiB pages, one page mapped) that takes a checked
     * 5000-byte frame: the check maps a second page (one grow, 8192 bytes at the peak), then the
     * stack is freed. Every top-level key, in the order the README's report table lists them, with
     * its value.
     */
    @Test
    void theJsonReportHasEveryDocumentedKeyWithItsValue() throws Exception {
        Kernel.configure(StackConfig.DEFAULT);
        Report.describe(Map.of(), null);
        KernelStack.current().enterChecked(5000);
        Kernel.release();
        JsonNode report = new ObjectMapper().readTree(Report.json(Kernel.stats()));

        List<String> keys = new ArrayList<>();
        report.fieldNames().forEachRemaining(keys::add);
        assertEquals(documentedKeys(), keys);

        assertEquals(1, report.get("schema_version").asInt());
        assertEquals("{\"thread_size\":16384,\"page\":4096,\"initial\":4096,\"margin\":0,\"fault\":\"panic\",\"cpus\":1,"
                + "\"reserve\":-1,\"release_at_park\":false,\"irq_stacks\":false,\"options_given\":{},"
                + "\"options_resolved\":null}", report.get("config").toString());
        assertEquals(1, report.get("stacks").asLong());
        assertEquals(1, report.get("stacks_created").asLong());
        assertEquals(0, report.get("live_stacks").asLong());
        assertEquals(16384, report.get("base_bytes").asLong(), "1 stack x 16 KiB");
        assertEquals(0, report.get("mapped_bytes").asLong(), "the stack was freed");
        assertEquals(8192, report.get("peak_mapped_bytes").asLong(), "5000 bytes take two 4 KiB pages");
        assertEquals(50.0, report.get("saving_percent").asDouble(), "100 x (16384 - 8192) / 16384");
        // The registry is global to the test JVM: other tests may have woven or skipped classes.
        assertEquals(WovenMethods.classesWoven(), report.get("classes_woven").asLong());
        assertEquals(WovenMethods.methodsWoven(), report.get("methods_woven").asLong());
        assertEquals(WovenMethods.checksInserted(), report.get("checks_inserted").asLong());
        assertEquals(1, report.get("checks_executed").asLong());
        assertEquals(1, report.get("grows").asLong(), "the check mapped the second page");
        assertEquals(0, report.get("faults").asLong());
        assertEquals(0, report.get("panics").asLong());
        assertEquals(0, report.get("expand_calls").asLong());
        assertEquals(5000, report.get("max_depth_bytes").asLong());
        assertEquals(0, report.get("irq_stack_count").asLong());
        assertEquals(0, report.get("irq_max_depth_bytes").asLong());
        assertEquals(0, report.get("reserve_bytes").asLong());
        assertEquals(0, report.get("reserve_pages_taken").asLong());
        assertEquals(0, report.get("reserve_refills").asLong());
        assertEquals(0, report.get("released_bytes").asLong());
        assertEquals(0, report.get("stacks_reaped").asLong(), "freed by release, not found ended");
        assertEquals(0, report.get("reaper_reaped").asLong());
        assertEquals("[{\"up_to_bytes\":1024,\"stacks\":0},{\"up_to_bytes\":2048,\"stacks\":0},"
                + "{\"up_to_bytes\":3072,\"stacks\":0},{\"up_to_bytes\":4096,\"stacks\":0},"
                + "{\"up_to_bytes\":5120,\"stacks\":1}]", report.get("depth_histogram").toString(),
                "5000 bytes fall in the fifth 1 KiB bucket, where the histogram ends");
        assertEquals(WovenMethods.all().size(), report.get("methods").size());
        assertTrue(report.get("deepest_chain").isNull(), "no woven method ran: " + report.get("deepest_chain"));
        assertEquals("[]", report.get("deepest_chains").toString());
        assertEquals(WovenMethods.skipped().size(), report.get("classes_skipped").size());
    }

    /** The first column of the README's report table: every top-level key, in order. */
    private static List<String> documentedKeys() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int section = lines.indexOf("## The report");
        assertTrue(section > 0, "the README has a section '## The report'");
        List<String> keys = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(section, lines.size())) {
            if (line.startsWith("| `")) {
                inTable = true;
                Matcher key = Pattern.compile("`([a-z_]+)`").matcher(line.substring(0, line.indexOf(" | ", 2)));
                while (key.find()) {
                    keys.add(key.group(1));
                }
            } else if (inTable) {
                break;
            }
        }
        return keys;
    }

    @Test
    void jsonStringsAreEscaped() {
        String json = new Json().beginObject().member("a\"b", "line\nnext\\").endObject().toString();
        assertTrue(json.equals("{\"a\\\"b\":\"line\\nnext\\\\\"}"), json);
    }
}

package io.dynstack.workloads.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The sweep's outputs from given points, without running JMH: what the files say and that they parse. */
class SweepChartTest {

    private static List<SweepPoint> points() {
        List<SweepPoint> points = new ArrayList<>();
        for (Chain chain : List.of(Chain.SYSCALL_MIX, Chain.SMALL_FRAMES)) {
            points.add(new SweepPoint(chain, "uninstrumented", 20, 1, 1, 0.001, -1, -1, -1, -1, -1));
            points.add(new SweepPoint(chain, "none", 200, 5, 10, 0.002, 0, 0, 1, 0, 6000));
            points.add(new SweepPoint(chain, "0", 260, Double.NaN, 13, 0.002, 33, 96, 0, 0, 6000));
        }
        return points;
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theChartIsWellFormedSvgWithALinePerChainAndFigure() throws Exception {
        Document svg = parse(SweepChart.svg("a <quick> & dirty run", points()));
        assertEquals("svg", svg.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", svg.getDocumentElement().getNamespaceURI());
        NodeList lines = svg.getElementsByTagName("polyline");
        assertEquals(2 * 3, lines.getLength(), "per chain: ratio, checks executed, checks inserted");
        assertEquals(2, lines.item(0).getAttributes().getNamedItem("points").getNodeValue().split(" ").length,
                "one point per instrumented configuration");
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("a <quick> & dirty run"), "the subtitle survives escaping");
        assertTrue(text.contains("syscall-mix (20.0)"), "the legend names each chain with its uninstrumented ns/op");
        assertTrue(text.contains("fault=grow"), "the legend says how faults were counted");
    }

    @Test
    void theCsvHasOneRowPerChainAndConfigurationAndLeavesSimulatedFiguresEmptyWithoutTheAgent() {
        String[] rows = SweepOutput.csv(points()).split("\n");
        assertEquals(SweepOutput.CSV_HEADER, rows[0]);
        assertEquals(7, rows.length);
        assertEquals("syscall-mix,uninstrumented,20.00,1.00,1.0000,0.00,,,,,", rows[1]);
        assertEquals("syscall-mix,0,260.00,,13.0000,0.00,33,96,0,0,6000", rows[3]);
    }

    @Test
    void theJsonCarriesEveryPoint() {
        Sweep.Settings settings = Sweep.parse(new String[] {"--quick", "--agent", "agent.jar"});
        String json = SweepOutput.json(settings, points());
        assertTrue(json.contains("\"quick\": true"), json);
        assertTrue(json.contains("{\"chain\": \"small-frames\", \"config\": \"none\", \"ns_per_op\": 200.000, "
                + "\"ns_per_op_error\": 5.000, \"ratio_to_uninstrumented\": 10.0000, \"alloc_bytes_per_op\": 0.002, "
                + "\"checks_inserted\": 0, \"checks_executed\": 0, \"faults\": 1, \"panics\": 0, "
                + "\"max_depth_bytes\": 6000}"), json);
        assertTrue(json.contains("\"ns_per_op_error\": null"), "NaN is not JSON");
    }

    @Test
    void quickModeSweepsFewerThresholdsInShorterRuns() {
        Sweep.Settings quick = Sweep.parse(new String[] {"--quick", "--agent", "agent.jar"});
        assertEquals(List.of("none", "100", "0"), quick.thresholds());
        assertEquals(1, quick.forks());
        Sweep.Settings full = Sweep.parse(new String[] {"--agent", "agent.jar", "--chains", "recursive,real-work"});
        assertEquals(List.of("none", "512", "256", "128", "100", "64", "32", "16", "0"), full.thresholds());
        assertEquals(List.of(Chain.RECURSIVE, Chain.REAL_WORK), full.chains());
        assertEquals(3, full.forks());
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Sweep.parse(new String[] {"--agent", "a.jar", "--thresholds", "none,big"})).getMessage()
                .contains("bad threshold 'big'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Sweep.parse(new String[] {"--agent", "a.jar", "--chains", "idle"})).getMessage()
                .contains("no chain 'idle'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Sweep.parse(new String[] {"--agent", "a.jar", "--forks", "0"})).getMessage()
                .contains("--forks"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Sweep.parse(new String[] {"--agent", "a.jar", "--out"})).getMessage()
                .contains("--out needs a value"));
    }

    @Test
    void readsTheFiguresItNeedsFromTheAgentsReport() {
        String report = "{\"schema_version\":1,\"checks_inserted\":4,\"checks_executed\":12001,\"grows\":1,"
                + "\"faults\":2,\"panics\":0,\"expand_calls\":1,\"max_depth_bytes\":3296}";
        assertEquals(Map.of("checks_inserted", 4L, "checks_executed", 12001L, "faults", 2L, "panics", 0L,
                "max_depth_bytes", 3296L), Sweep.reportNumbers(report));
    }

    @Test
    void replotDrawsTheSameChartFromTheFiles(@TempDir Path dir) throws Exception {
        Sweep.Settings settings = Sweep.parse(new String[] {"--quick", "--agent", "agent.jar", "--out", dir.toString()});
        SweepOutput.write(settings, points());
        String written = Files.readString(dir.resolve("sweep.svg"));
        Files.delete(dir.resolve("sweep.svg"));
        assertEquals(dir.resolve("sweep.svg"), SweepOutput.replot(dir));
        assertEquals(written, Files.readString(dir.resolve("sweep.svg")));
    }

    @Test
    void axisTicksAreRound() {
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0, 20.0), SweepChart.logTicks(0.9, 30));
        assertEquals(100.0, SweepChart.niceCeiling(96));
        assertEquals(40.0, SweepChart.niceCeiling(33));
        assertEquals(1.0, SweepChart.niceCeiling(1));
    }
}

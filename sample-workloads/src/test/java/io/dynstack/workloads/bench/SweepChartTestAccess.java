package io.dynstack.workloads.bench;

import org.w3c.dom.Document;

/** The SVG parser of {@link SweepChartTest}, for the comparison's chart test in another package. */
public final class SweepChartTestAccess {

    private SweepChartTestAccess() {
    }

    public static Document parse(String xml) throws Exception {
        return SweepChartTest.parse(xml);
    }
}

package io.dynstack.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** The simulation's totals, as the report has them, once per period while a recording runs. */
@Name("dynstack.StackStatistics")
@Label("Stack Statistics")
@Category("dynstack")
@Description("Totals of the simulated kernel: stacks, mapped bytes, checks, grows, faults, panics, expand_stack calls")
@Period("1 s")
@StackTrace(false)
public final class StackStatisticsEvent extends Event {

    @Label("Stacks")
    @Description("The most stacks alive at once")
    public long stacks;

    @Label("Live Stacks")
    @Description("Stacks alive now")
    public long liveStacks;

    @Label("Stacks Created")
    @Description("Stacks ever created")
    public long stacksCreated;

    @Label("Mapped")
    @Description("Bytes mapped now, over all stacks")
    @DataAmount(DataAmount.BYTES)
    public long mappedBytes;

    @Label("Peak Mapped")
    @Description("The most bytes mapped at once")
    @DataAmount(DataAmount.BYTES)
    public long peakMappedBytes;

    @Label("Base")
    @Description("What fixed stacks would take at the peak: stacks x THREAD_SIZE")
    @DataAmount(DataAmount.BYTES)
    public long baseBytes;

    @Label("Checks Executed")
    public long checksExecuted;

    @Label("Grows")
    public long grows;

    @Label("Faults")
    public long faults;

    @Label("Panics")
    public long panics;

    @Label("expand_stack Calls")
    public long expandCalls;

    @Label("Max Depth")
    @Description("The deepest any stack has been")
    @DataAmount(DataAmount.BYTES)
    public long maxDepthBytes;

    @Label("Methods Woven")
    public long methodsWoven;

    @Label("Checks Inserted")
    @Description("Woven methods that got the check")
    public long checksInserted;
}

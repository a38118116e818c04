package io.dynstack.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Pages mapped onto a simulated stack: by a check, by a fault under fault=grow, or by expand_stack. */
@Name("dynstack.StackGrow")
@Label("Stack Grow")
@Category("dynstack")
@Description("Pages mapped onto a simulated kernel stack: by a check, a fault under fault=grow, or expand_stack")
public final class StackGrowEvent extends StackEvent {

    @Label("Cause")
    @Description("check, fault or expand_stack")
    public String cause;

    @Label("Bytes Mapped")
    @Description("Bytes this growth mapped, whole pages")
    @DataAmount(DataAmount.BYTES)
    public long bytes;

    @Label("Frame Size")
    @Description("Simulated frame size of the entry that needed the pages; 0 for expand_stack")
    @DataAmount(DataAmount.BYTES)
    public long frameSize;
}

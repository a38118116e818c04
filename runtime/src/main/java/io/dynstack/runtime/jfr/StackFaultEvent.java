package io.dynstack.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** An unchecked frame reached an unmapped page and the page was mapped (fault=grow, as FRED or arm64 can). */
@Name("dynstack.StackFault")
@Label("Stack Fault")
@Category("dynstack")
@Description("An unchecked frame reached an unmapped page and fault=grow mapped it; under fault=panic a fault is a Kernel Panic event")
public final class StackFaultEvent extends StackEvent {

    @Label("Frame Size")
    @Description("Simulated frame size of the entry that faulted")
    @DataAmount(DataAmount.BYTES)
    public long frameSize;

    @Label("Bytes Mapped")
    @Description("Bytes the fault handler mapped")
    @DataAmount(DataAmount.BYTES)
    public long bytes;
}

package io.dynstack.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One expand_stack() call, whether or not it had to map anything. */
@Name("dynstack.ExpandStack")
@Label("expand_stack")
@Category("dynstack")
@Description("An expand_stack() call on a known deep path: the bytes it asked for and the bytes it had to map")
public final class ExpandStackEvent extends StackEvent {

    @Label("Bytes Requested")
    @Description("Bytes that must fit below sp")
    @DataAmount(DataAmount.BYTES)
    public long requested;

    @Label("Bytes Mapped")
    @Description("Bytes mapped by this call; 0 when they were mapped already")
    @DataAmount(DataAmount.BYTES)
    public long bytes;
}

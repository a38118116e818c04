package io.dynstack.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A simulated kernel panic, with the whole oops. */
@Name("dynstack.KernelPanic")
@Label("Kernel Panic")
@Category("dynstack")
@Description("A simulated kernel panic: double fault, overflow past THREAD_SIZE, or no reserve in atomic context")
public final class KernelPanicEvent extends StackEvent {

    @Label("Reason")
    @Description("The oops headline: the kind of panic and the frame that caused it")
    public String reason;

    @Label("Frame Size")
    @Description("Simulated frame size of the entry that could not be made")
    @DataAmount(DataAmount.BYTES)
    public long frameSize;

    @Label("Oops")
    @Description("The oops as printed: the simulated chain innermost first, each frame's depth and size, and the stack's state")
    public String oops;
}

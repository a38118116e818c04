package io.dynstack.runtime.jfr;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/** What every per-stack event carries: where on which stack it happened. The event thread is the thread. */
abstract class StackEvent extends Event {

    @Label("Method")
    @Description("The woven method being entered (innermost woven frame on the Java stack); empty if none")
    public String method;

    @Label("Stack Pointer")
    @Description("Simulated sp the entry moves to (expand_stack, release, panic: sp now), counted up from the bottom of THREAD_SIZE")
    public long sp;

    @Label("Depth")
    @Description("THREAD_SIZE - sp: bytes in use once the entry is made")
    @DataAmount(DataAmount.BYTES)
    public long depth;

    @Label("Mapped")
    @Description("Bytes mapped on this stack after the event")
    @DataAmount(DataAmount.BYTES)
    public long mapped;

    @Label("CPU")
    @Description("Simulated CPU the stack runs on")
    public int cpu;

    @Label("IRQ Stack")
    @Description("True on a per-CPU interrupt stack, false on a thread's own stack")
    public boolean irqStack;
}

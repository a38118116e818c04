package io.dynstack.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A thread parked at an idle point gave back the pages below its sp (release_at_park). */
@Name("dynstack.StackRelease")
@Label("Stack Release")
@Category("dynstack")
@Description("A thread parking at an idle point gave back the pages below its sp (release_at_park=true)")
public final class StackReleaseEvent extends StackEvent {

    @Label("Bytes Released")
    @DataAmount(DataAmount.BYTES)
    public long bytes;
}

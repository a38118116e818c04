package io.dynstack.agent.weave;

import io.dynstack.runtime.MethodKey;
import java.util.Set;

/**
 * Methods that get a check whatever their frame size: the sites the static analysis places for
 * {@code guarantee=}, beside the threshold's.
 *
 * @param forced          methods by key, as the analysis names them and the runtime registry keys them
 * @param analysedClasses the classes the analysis saw; a method of any other class is checked,
 *                        since no analysis bounds its chains. Null only in {@link #NONE}.
 * @param reflectiveCallBytes bytes mapped below sp right before a reflective call in kernel code
 *                        ({@link #REFLECTIVE_CALLS}), whose targets the analysis cannot know: the
 *                        guarantee's margin, which every unchecked chain fits in; 0 for none
 */
public record CheckSites(Set<MethodKey> forced, Set<String> analysedClasses, int reflectiveCallBytes) {

    /** No guarantee: the threshold alone decides. */
    public static final CheckSites NONE = new CheckSites(Set.of(), null, 0);

    /**
     * Calls that run a method chosen at run time, as {@code owner.name}: reflection and method
     * handles obtained by lookup. Handles named in the class file (lambdas, method references)
     * are not among them: the analysis knows their targets.
     */
    public static final Set<String> REFLECTIVE_CALLS = Set.of(
            "java/lang/reflect/Method.invoke", "java/lang/reflect/Constructor.newInstance",
            "java/lang/Class.newInstance", "java/lang/invoke/MethodHandle.invoke",
            "java/lang/invoke/MethodHandle.invokeExact", "java/lang/invoke/MethodHandle.invokeWithArguments");

    public CheckSites {
        forced = Set.copyOf(forced);
        analysedClasses = analysedClasses == null ? null : Set.copyOf(analysedClasses);
    }

    /** Whether {@code owner.name} (internal owner) runs a method chosen at run time. */
    public static boolean reflective(String owner, String name) {
        // Asked for every call in a large jar: most owners are ruled out without building a key.
        return owner.startsWith("java/lang/") && REFLECTIVE_CALLS.contains(owner + '.' + name);
    }

    /** Whether the method gets a check below the threshold; {@code owner} is internal ({@code com/acme/Vfs}). */
    public boolean checks(String owner, String name, String desc) {
        MethodKey key = MethodKey.internal(owner, name, desc);
        return forced.contains(key) || (analysedClasses != null && !analysedClasses.contains(key.className()));
    }
}

package io.dynstack.agent.weave;

import java.util.Set;

/**
 * Methods that get a check whatever their frame size: the sites the static analysis places for
 * {@code guarantee=}, beside the threshold's.
 *
 * @param forced          methods by key ({@code com.acme.Vfs.read(I)J}), the runtime registry's spelling
 * @param analysedClasses the classes the analysis saw; a method of any other class is checked,
 *                        since no analysis bounds its chains. Null when every class was analysed
 *                        or there is no guarantee.
 */
public record CheckSites(Set<String> forced, Set<String> analysedClasses) {

    /** No guarantee: the threshold alone decides. */
    public static final CheckSites NONE = new CheckSites(Set.of(), null);

    public CheckSites {
        forced = Set.copyOf(forced);
        analysedClasses = analysedClasses == null ? null : Set.copyOf(analysedClasses);
    }

    /** Whether the method gets a check below the threshold; {@code owner} is internal ({@code com/acme/Vfs}). */
    public boolean checks(String owner, String name, String desc) {
        String className = owner.replace('/', '.');
        return forced.contains(className + '.' + name + desc)
                || (analysedClasses != null && !analysedClasses.contains(className));
    }
}

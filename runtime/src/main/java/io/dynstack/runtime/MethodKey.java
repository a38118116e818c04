package io.dynstack.runtime;

/**
 * A method as class, name and descriptor, spelled {@code com.acme.Vfs.read(I)J}: how the woven-method
 * registry, the analysis and {@code guarantee=}'s check sites name a method, so that a method the
 * analysis picks is the one the weaver checks. The agent jar carries this class for its command
 * line, which has no runtime on its class path; under {@code -javaagent} the runtime's copy on the
 * bootstrap path is the one every class resolves.
 *
 * @param className  the dotted class name, {@code $} for nested classes
 * @param name       the method name, {@code <init>} and {@code <clinit>} included
 * @param descriptor the JVM method descriptor
 */
public record MethodKey(String className, String name, String descriptor) {

    /** The key of a method whose owner is an internal name ({@code com/acme/Vfs}), as bytecode names it. */
    public static MethodKey internal(String owner, String name, String descriptor) {
        return new MethodKey(owner.replace('/', '.'), name, descriptor);
    }

    /** The key spelled {@code com.acme.Vfs.read(I)J}; a text without a class, name and descriptor is an error. */
    public static MethodKey parse(String key) {
        int paren = key.indexOf('(');
        int dot = paren < 0 ? -1 : key.lastIndexOf('.', paren);
        if (dot <= 0 || dot + 1 == paren) {
            throw new IllegalArgumentException("'" + key + "' is not a method key: expected class.name(descriptor),"
                    + " e.g. com.acme.Vfs.read(I)J");
        }
        return new MethodKey(key.substring(0, dot), key.substring(dot + 1, paren), key.substring(paren));
    }

    @Override
    public String toString() {
        return className + '.' + name + descriptor;
    }
}

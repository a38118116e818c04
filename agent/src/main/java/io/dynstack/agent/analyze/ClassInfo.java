package io.dynstack.agent.analyze;

import java.util.List;

/**
 * What the analysis needs from one class file: its place in the hierarchy, whether it is marked
 * {@code @KernelCode}, and its methods. Names are internal ({@code com/acme/Vfs}).
 *
 * @param origin where the bytes came from, for messages
 */
public record ClassInfo(String name, String superName, List<String> interfaces, boolean kernelCode,
                        List<MethodInfo> methods, String origin) {

    public String className() {
        return name.replace('/', '.');
    }
}

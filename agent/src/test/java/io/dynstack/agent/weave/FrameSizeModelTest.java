package io.dynstack.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.WeavingLoader;
import io.dynstack.runtime.WovenMethods;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FrameSizeModelTest {

    @Test
    void theModelCountsReturnAddressFramePointerAndSlotsThenAligns() {
        assertEquals(16, FrameSizeModel.frameSize(0, 0));
        assertEquals(32, FrameSizeModel.frameSize(1, 0), "16 + 8 = 24, aligned to 32");
        assertEquals(32, FrameSizeModel.frameSize(1, 1));
        assertEquals(112, FrameSizeModel.frameSize(6, 6), "16 + 96 = 112: the first size checked at 100");
        assertEquals(16, FrameSizeModel.declared(1));
        assertEquals(1008, FrameSizeModel.declared(1000));
        assertEquals(512, FrameSizeModel.declared(512));
    }

    /** Sizes from the class file's own max_locals and max_stack, as javac wrote them. */
    @Test
    void wovenMethodsGetTheModelledSizeOfTheirOriginalCode() {
        ClassWeaver.Woven woven = new ClassWeaver(new WeaveConfig(100))
                .weave(WeavingLoader.classFile("io.dynstack.agent.kernel.Modelled"));
        Map<String, WovenMethods.Method> byName = woven.methods().stream()
                .collect(Collectors.toMap(WovenMethods.Method::name, Function.identity()));
        // add(int, int): iload, iload, iadd: 2 locals, 2 stack slots = 16 + 32 = 48.
        assertEquals(48, byName.get("add").frameSize());
        // sum(long[]): locals array, total (2 slots), i = 4; stack: total + element (4) = 16 + 64 = 80.
        assertEquals(80, byName.get("sum").frameSize());
        assertFalse(byName.get("sum").checked());
        // wide(...): 8 int parameters; a..g are all pushed before the innermost max: 16 + 120 = 136, to 144.
        assertEquals(144, byName.get("wide").frameSize());
        assertTrue(byName.get("wide").checked());
        assertEquals(4, woven.methods().size(), "the constructor and three methods; the abstract one is not woven");
    }

    @Test
    void thresholdNoneChecksNothingAndZeroChecksEverything() {
        byte[] modelled = WeavingLoader.classFile("io.dynstack.agent.kernel.Modelled");
        assertEquals(0, new ClassWeaver(new WeaveConfig(WeaveConfig.NO_CHECKS)).weave(modelled).methods().stream()
                .filter(WovenMethods.Method::checked).count());
        assertEquals(4, new ClassWeaver(new WeaveConfig(0)).weave(modelled).methods().stream()
                .filter(WovenMethods.Method::checked).count());
    }

    @Test
    void declaredFramesTakeLocalsAndEightByteGranularity() {
        assertEquals(new FrameSizeModel.Sizes(112, 96), FrameSizeModel.modelled(6, 6), "locals: the frame less 16");
        assertEquals(new FrameSizeModel.Sizes(1008, 992), FrameSizeModel.declared(1000, -1, 16));
        assertEquals(new FrameSizeModel.Sizes(56, 0), FrameSizeModel.declared(56, 0, 8));
        assertEquals(new FrameSizeModel.Sizes(8, 0), FrameSizeModel.declared(0, -1, 8), "at least the return address");
        assertEquals(new FrameSizeModel.Sizes(48, 32), FrameSizeModel.declared(44, -1, 8));
        assertEquals(new FrameSizeModel.Sizes(48, 32), FrameSizeModel.declared(44, -1, 12), "any other align is 16");
    }

    @Test
    void theBasisDecidesWhichMethodsTheWeaverChecks() {
        byte[] locals = WeavingLoader.classFile("io.dynstack.agent.kernel.Locals");
        Map<String, WovenMethods.Method> byName = new ClassWeaver(new WeaveConfig(100)).weave(locals).methods()
                .stream().collect(Collectors.toMap(WovenMethods.Method::name, Function.identity()));
        assertEquals(176, byName.get("pushes").frameSize());
        assertEquals(184, byName.get("buffer").frameSize());
        assertEquals(128, byName.get("modelled").frameSize());
        assertEquals(40, byName.get("odd").frameSize());
        assertEquals(java.util.List.of("buffer", "modelled", "pushes"), checked(new WeaveConfig(100), locals));
        assertEquals(java.util.List.of("buffer", "modelled"),
                checked(new WeaveConfig(100, true, WeaveConfig.Basis.LOCALS), locals));
        assertEquals(java.util.List.of("buffer"), checked(new WeaveConfig(120, true, WeaveConfig.Basis.LOCALS), locals));
        assertEquals(java.util.List.of("buffer", "modelled", "pushes"), checked(new WeaveConfig(120), locals));
    }

    private static java.util.List<String> checked(WeaveConfig config, byte[] classFile) {
        return new ClassWeaver(config).weave(classFile).methods().stream().filter(WovenMethods.Method::checked)
                .map(WovenMethods.Method::name).sorted().toList();
    }
}

package io.dynstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.weave.WeaveConfig;
import io.dynstack.runtime.FaultPolicy;
import io.dynstack.runtime.StackConfig;
import io.dynstack.runtime.StackDesign;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {

    @Test
    void defaultsAreTheDynamicStackOfTheRfc() {
        AgentOptions options = AgentOptions.parse(null);
        assertEquals(100, options.threshold());
        assertEquals(StackConfig.DEFAULT, Installer.stackConfig(options));
        assertEquals(new StackConfig(16384, 4096, 4096, 0, FaultPolicy.PANIC, 1, StackConfig.NO_RESERVE, false, false),
                StackConfig.DEFAULT);
        assertTrue(Installer.weaveConfig(options).expand());
        assertEquals(WeaveConfig.Basis.FRAME, Installer.weaveConfig(options).basis(), "the default keeps every figure");
        assertEquals(List.of(), options.kernelGlobs());
    }

    /** The README's options table, row by row: the key and its default column as the option table has them. */
    @Test
    void theReadmeListsEveryOptionWithItsDefault() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int section = lines.indexOf("### Options");
        int table = lines.subList(section, lines.size()).indexOf("| key | default | meaning |") + section;
        assertTrue(section > 0 && table > section, "the table under ### Options");
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(table + 2, lines.size())) {
            if (!line.startsWith("| ")) {
                break;
            }
            String[] cells = line.split(" \\| ", 3);
            rows.add(cells[0].substring(2) + " " + cells[1]);
        }
        List<String> expected = new ArrayList<>();
        for (AgentOptions.Option<?> o : AgentOptions.table()) {
            expected.add("`" + o.key() + "` " + o.shownDefault());
        }
        assertEquals(expected, rows);
        assertEquals(26, rows.size());
        assertEquals("`thread_size` `16k`", rows.get(4));
        assertEquals("`initial` one page", rows.get(5));
    }

    @Test
    void everyOptionIsRead() {
        AgentOptions options = AgentOptions.parse(
                "kernel=com.acme.kernel.**:org.x.*Driver,threshold=none,thread_size=8k,initial=8192,page=4k,"
                        + "margin=256,fault=grow,report=target/r.json,verbose=debug,cpus=8,reserve=2,"
                        + "release_at_park=true,irq_stacks=true,expand=false,threshold_basis=locals");
        assertEquals(List.of("com.acme.kernel.**", "org.x.*Driver"), options.kernelGlobs());
        assertEquals(Integer.MAX_VALUE, options.threshold());
        assertEquals(new StackConfig(8192, 4096, 8192, 256, FaultPolicy.GROW, 8, 2, true, true),
                Installer.stackConfig(options));
        assertFalse(Installer.weaveConfig(options).expand());
        assertEquals(WeaveConfig.Basis.LOCALS, Installer.weaveConfig(options).basis());
        assertEquals("target/r.json", options.report());
        assertEquals(AgentOptions.Verbosity.DEBUG, options.verbosity());
    }

    @Test
    void theDesignsOfThe2026ThreadAreRead() {
        AgentOptions options = AgentOptions.parse("idle=multiplex,reclaim=shrinker,spares=3,stash=8,free_pages=12");
        assertEquals(new StackDesign(StackDesign.Idle.MULTIPLEX, StackDesign.Reclaim.SHRINKER, 3, 8, 12),
                Installer.stackConfig(options).design());
        assertEquals(StackDesign.NONE, Installer.stackConfig(AgentOptions.parse("idle=keep,reclaim=off,spares=off,"
                + "free_pages=unlimited")).design());
        assertEquals(new StackDesign(StackDesign.Idle.RELEASE, StackDesign.Reclaim.SWITCH, StackDesign.OFF, 0, 0),
                Installer.stackConfig(AgentOptions.parse("idle=release,reclaim=switch,free_pages=0")).design());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bogus=1|unknown option 'bogus'; keys: kernel, excludes, threshold,",
        "threshold=abc|bad value 'abc' for option 'threshold': expected a frame size in bytes",
        "threshold=-5|bad value '-5' for option 'threshold'",
        "fault=maybe|bad value 'maybe' for option 'fault': expected panic or grow",
        "verbose=loud|bad value 'loud' for option 'verbose': expected off, info or debug",
        "thread_size=16q|bad value '16q' for option 'thread_size'",
        "kernel=com/acme|bad value 'com/acme' for option 'kernel'",
        "threshold|option 'threshold' is not key=value",
        "threshold=1,threshold=2|option 'threshold' is given twice",
        "cpus=0|bad value '0' for option 'cpus'",
        "reserve=some|bad value 'some' for option 'reserve': expected pages per CPU",
        "release_at_park=yes|bad value 'yes' for option 'release_at_park': expected true or false",
    })
    void aBadOptionIsOneLineNamingIt(String options, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(options));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void inconsistentSizesNameTheOption() {
        AgentOptions options = AgentOptions.parse("initial=6k");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Installer.stackConfig(options));
        assertTrue(e.getMessage().startsWith("initial must be a multiple of page (4096)"), e.getMessage());
    }

    @Test
    void globsMatchWithinAndAcrossPackages() {
        KernelGlobs globs = new KernelGlobs(List.of("com.acme.kernel.**", "org.x.*Driver", "a.B?"));
        assertTrue(globs.matches("com.acme.kernel.Vfs"));
        assertTrue(globs.matches("com.acme.kernel.fs.ext4.Inode$1"));
        assertTrue(globs.matches("org.x.NvmeDriver"));
        assertFalse(globs.matches("org.x.sub.NvmeDriver"));
        assertTrue(globs.matches("a.B1"));
        assertFalse(globs.matches("a.B12"));
        assertFalse(globs.matches("com.acme.kernelx.Vfs"));
        assertFalse(new KernelGlobs(List.of()).matches("anything"));
    }
}

package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.linux.KernelData.Flag;
import io.dynstack.agent.linux.KernelData.Function;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed data of Debian's 6.12.117 cloud kernel and six of its modules: its header matches its content (the read
 * checks the body's checksum and the count), and named functions have the frames that
 * {@code objdump -d} of that vmlinux shows.
 */
class CommittedKernelTest {

    static final String RESOURCE = "linux-6.12.117+deb12-cloud-amd64.kframes.gz";
    static KernelData data;
    static Map<String, Integer> index;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = KernelData.class.getResourceAsStream(RESOURCE)) {
            data = KernelData.read(in, RESOURCE);
        }
        index = data.indexByName();
    }

    private static Function f(String name) {
        return data.function(index.get(name));
    }

    @Test
    void theHeaderNamesThePackageAndTheKernel() {
        assertEquals("6.12.117+deb12-cloud-amd64", data.header().release());
        assertEquals("6.4", data.header().orcLayout());
        assertTrue(data.header().pkg().startsWith("linux-image-6.12.117+deb12-cloud-amd64-dbg 6.12.117-1~deb12u1 sha256:"),
                data.header().pkg());
        assertEquals(56_074, data.functions().size());
        assertEquals(7, data.header().sources().size(), "vmlinux and six modules: " + data.header().sources());
    }

    @Test
    void moduleFunctionsNameTheirModuleAndCallIntoTheKernel() {
        Function readBlock = f("xfs_btree_read_buf_block");
        assertEquals("xfs", readBlock.module());
        assertEquals(104, readBlock.full());
        assertEquals(32, readBlock.locals());
        assertEquals("kvm", f("kvm_arch_vcpu_ioctl_run").module());
        assertTrue(contains(readBlock.calls(), index.get("xfs_trans_read_buf_map")), "a call inside the module");
        assertTrue(contains(readBlock.calls(), index.get("__stack_chk_fail")), "a call into vmlinux, by name");
    }

    @Test
    void pollsOnStackTableIsItsLocals() {
        // push %rbp; mov %rsp,%rbp; five pushes; and $-16,%rsp; sub $0x3e0,%rsp: 8 + 8 + 40 + 992.
        assertEquals(1048, f("do_sys_poll").full());
        assertEquals(992, f("do_sys_poll").locals());
        assertEquals(EnumSet.of(Flag.LOWER_BOUND, Flag.REALIGNED), f("do_sys_poll").flags());
    }

    @Test
    void syscallEntryHasTheRandomisedOffsetFlagged() {
        assertEquals(48, f("do_syscall_64").full());
        assertEquals(EnumSet.of(Flag.LOWER_BOUND, Flag.VARIABLE), f("do_syscall_64").flags());
        assertTrue(f("entry_SYSCALL_64").has(Flag.ASSEMBLY));
        assertEquals(176, f("entry_SYSCALL_64").full(), "the 21 registers of pt_regs it pushes, and 8");
    }

    @Test
    void theSchedulerAndTheFutexPathHaveTheirRealFrames() {
        assertEquals(120, f("__schedule").full());
        assertEquals(64, f("__schedule").locals());
        assertEquals(16, f("schedule").full());
        assertTrue(contains(f("schedule").calls(), index.get("__schedule")));
        assertEquals(144, f("futex_wait").full());
        assertEquals(88, f("futex_wait").locals());
        assertTrue(contains(f("futex_wait").calls(), index.get("__futex_wait")));
        assertTrue(contains(f("__futex_wait").calls(), index.get("futex_wait_queue")));
        assertEquals(40, f("futex_wait_queue").full());
        assertTrue(contains(f("futex_wait_queue").calls(), index.get("schedule")));
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.Linux;

/**
 * KVM_RUN: the guest exits on an EPT violation and the host faults in a file-backed page, with
 * the TDP MMU (6.12's default on x86-64). vcpu_run() and vcpu_enter_guest() are inlined into
 * kvm_arch_vcpu_ioctl_run(); the exit handler and the fault method of the mapping are indirect
 * calls.
 */
final class Kvm {

    private Kvm() {
    }

    /** kvm_vcpu_ioctl(): its argument unions are on the stack. */
    @Linux("kvm_vcpu_ioctl")
    @Frame(bytes = 200, locals = 144, align = 8)
    static int vcpuIoctl(int count) {
        return vcpuRun(count);
    }

    /** kvm_arch_vcpu_ioctl_run() calls the vendor's handle_exit, vmx_handle_exit(). */
    @Linux("kvm_arch_vcpu_ioctl_run")
    @Frame(bytes = 152, locals = 96, align = 8)
    static int vcpuRun(int count) {
        return vmxHandleExit(count);
    }

    /**
     * vmx_handle_exit(): __vmx_handle_exit() is inlined and calls the exit reason's handler,
     * handle_ept_violation(), which jumps to kvm_mmu_page_fault(): its frame is gone.
     */
    @Linux("vmx_handle_exit")
    @Frame(bytes = 72, locals = 0, align = 8)
    static int vmxHandleExit(int count) {
        return kvmMmuPageFault(count);
    }

    @Linux("kvm_mmu_page_fault")
    @Frame(bytes = 176, locals = 120, align = 8)
    static int kvmMmuPageFault(int count) {
        return kvmMmuDoPageFault(count);
    }

    @Linux("kvm_mmu_do_page_fault")
    @Frame(bytes = 120, locals = 88, align = 8)
    static int kvmMmuDoPageFault(int count) {
        return kvmTdpPageFault(count);
    }

    /** kvm_tdp_page_fault(): kvm_tdp_mmu_page_fault() is inlined. */
    @Linux("kvm_tdp_page_fault")
    @Frame(bytes = 40, locals = 8, align = 8)
    static int kvmTdpPageFault(int count) {
        return kvmFaultinPfn(count);
    }

    /** kvm_faultin_pfn() calls __gfn_to_pfn_memslot(), which jumps to hva_to_pfn(). */
    @Linux("kvm_faultin_pfn")
    @Frame(bytes = 120, locals = 56, align = 8)
    static int kvmFaultinPfn(int count) {
        return hvaToPfn(count);
    }

    /** hva_to_pfn(): hva_to_pfn_slow() is inlined. */
    @Linux("hva_to_pfn")
    @Frame(bytes = 152, locals = 96, align = 8)
    static int hvaToPfn(int count) {
        return getUserPagesUnlocked(count);
    }

    @Linux("get_user_pages_unlocked")
    @Frame(bytes = 104, locals = 48, align = 8)
    static int getUserPagesUnlocked(int count) {
        return getUserPages(count);
    }

    @Linux("__get_user_pages")
    @Frame(bytes = 176, locals = 120, align = 8)
    static int getUserPages(int count) {
        return handleMmFault(count);
    }

    @Linux("handle_mm_fault")
    @Frame(bytes = 64, locals = 8, align = 8)
    static int handleMmFault(int count) {
        return handleMmFaultInner(count);
    }

    @Linux("__handle_mm_fault")
    @Frame(bytes = 208, locals = 152, align = 8)
    static int handleMmFaultInner(int count) {
        return doFault(count);
    }

    @Linux("do_fault")
    @Frame(bytes = 40, locals = 0, align = 8)
    static int doFault(int count) {
        return doFaultInner(count);
    }

    /** __do_fault() calls the mapping's fault method. */
    @Linux("__do_fault")
    @Frame(bytes = 32, locals = 0, align = 8)
    static int doFaultInner(int count) {
        return filemapFault(count);
    }

    /** filemap_fault() calls page_cache_sync_ra(), which ends in a jump to the readahead. */
    @Linux("filemap_fault")
    @Frame(bytes = 168, locals = 104, align = 8)
    static int filemapFault(int count) {
        return Vfs.pageCacheRaUnbounded(count);
    }
}

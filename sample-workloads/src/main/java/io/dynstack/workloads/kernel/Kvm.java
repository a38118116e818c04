package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;

/** KVM_RUN: the guest exits on an EPT violation and the host faults in a file-backed page. */
final class Kvm {

    private Kvm() {
    }

    /** kvm_vcpu_ioctl(): its argument unions are on the stack. */
    @Frame(bytes = 400)
    static int vcpuIoctl(int count) {
        return vcpuRun(count);
    }

    @Frame(bytes = 160)
    static int vcpuRun(int count) {
        return vcpuEnterGuest(count);
    }

    @Frame(bytes = 208)
    static int vcpuEnterGuest(int count) {
        return handleEptViolation(count);
    }

    @Frame(bytes = 96)
    static int handleEptViolation(int count) {
        return kvmMmuPageFault(count);
    }

    @Frame(bytes = 112)
    static int kvmMmuPageFault(int count) {
        return directPageFault(count);
    }

    @Frame(bytes = 144)
    static int directPageFault(int count) {
        return hvaToPfn(count);
    }

    @Frame(bytes = 96)
    static int hvaToPfn(int count) {
        return getUserPages(count);
    }

    @Frame(bytes = 192)
    static int getUserPages(int count) {
        return handleMmFault(count);
    }

    @Frame(bytes = 176)
    static int handleMmFault(int count) {
        return filemapFault(count);
    }

    @Frame(bytes = 128)
    static int filemapFault(int count) {
        return Vfs.vfsRead(count, false);
    }
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.annotation.NoSleep;

/** poll() on sockets, and the receive path that NET_RX softirq runs after an interrupt. */
public final class Net {

    private Net() {
    }

    @Frame(bytes = 96)
    static int doPoll(int fds) {
        return sockPoll(fds);
    }

    @Frame(bytes = 48)
    static int sockPoll(int fds) {
        return tcpPoll(fds);
    }

    @Frame(bytes = 64)
    static int tcpPoll(int fds) {
        return fds;
    }

    @NoSleep
    @Frame(bytes = 112)
    static void netRxAction() {
        napiPoll();
    }

    @Frame(bytes = 48)
    static void napiPoll() {
        virtnetPoll();
    }

    @Frame(bytes = 96)
    static void virtnetPoll() {
        napiGroReceive();
    }

    @Frame(bytes = 64)
    static void napiGroReceive() {
        netifReceiveSkbCore();
    }

    @Frame(bytes = 160)
    static void netifReceiveSkbCore() {
        ipRcv();
    }

    @Frame(bytes = 80)
    static void ipRcv() {
        nfHookSlow();
    }

    @Frame(bytes = 64)
    static void nfHookSlow() {
        nfConntrackIn();
    }

    @Frame(bytes = 160)
    static void nfConntrackIn() {
        tcpPacket();
    }

    @Frame(bytes = 144)
    static void tcpPacket() {
        ipLocalDeliver();
    }

    @Frame(bytes = 48)
    static void ipLocalDeliver() {
        tcpV4Rcv();
    }

    @Frame(bytes = 208)
    static void tcpV4Rcv() {
        tcpRcvEstablished();
    }

    @Frame(bytes = 112)
    static void tcpRcvEstablished() {
        tcpDataQueue();
    }

    @Frame(bytes = 96)
    static void tcpDataQueue() {
        sockDefReadable();
    }

    @Frame(bytes = 48)
    static void sockDefReadable() {
        tryToWakeUp();
    }

    @Frame(bytes = 112)
    static void tryToWakeUp() {
        selectTaskRqFair();
    }

    @Frame(bytes = 128)
    static void selectTaskRqFair() {
    }
}

package io.dynstack.workloads.kernel;

import io.dynstack.annotation.Frame;
import io.dynstack.annotation.NoSleep;
import io.dynstack.workloads.Linux;
import io.dynstack.workloads.Modelled;

/**
 * poll() on sockets, and the receive path that NET_RX softirq runs after an interrupt: GRO, the
 * IPv4 list receive, TCP, and the wakeup of the task polling the socket. Protocol handlers, a
 * socket's data_ready and a wait queue's wake function are indirect calls.
 */
public final class Net {

    private Net() {
    }

    /** sock_poll() calls the protocol's poll method. */
    @Linux("sock_poll")
    @Frame(bytes = 48, locals = 0, align = 8)
    static int sockPoll(int fds) {
        return tcpPoll(fds);
    }

    @Linux("tcp_poll")
    @Frame(bytes = 48, locals = 8, align = 8)
    static int tcpPoll(int fds) {
        return fds;
    }

    @NoSleep
    @Linux("net_rx_action")
    @Frame(bytes = 256, locals = 200, align = 8)
    static void netRxAction() {
        napiPoll();
    }

    /** __napi_poll() calls the driver's poll method. */
    @Linux("__napi_poll")
    @Frame(bytes = 40, locals = 0, align = 8)
    static void napiPoll() {
        virtnetPoll();
    }

    @Modelled(linux = "virtnet_poll", value = "in module virtio_net, which the data file does not have")
    @Frame(bytes = 96)
    static void virtnetPoll() {
        napiGroReceive();
    }

    /** napi_gro_receive(): gro_normal_list() is inlined and hands the batch on. */
    @Linux("napi_gro_receive")
    @Frame(bytes = 48, locals = 0, align = 8)
    static void napiGroReceive() {
        netifReceiveSkbListInternal();
    }

    @Linux("netif_receive_skb_list_internal")
    @Frame(bytes = 104, locals = 48, align = 8)
    static void netifReceiveSkbListInternal() {
        netifReceiveSkbListCore();
    }

    @Linux("__netif_receive_skb_list_core")
    @Frame(bytes = 128, locals = 72, align = 8)
    static void netifReceiveSkbListCore() {
        ipListRcv();
    }

    @Linux("ip_list_rcv")
    @Frame(bytes = 96, locals = 40, align = 8)
    static void ipListRcv() {
        ipSublistRcv();
    }

    @Linux("ip_sublist_rcv")
    @Frame(bytes = 128, locals = 72, align = 8)
    static void ipSublistRcv() {
        ipSublistRcvFinish();
    }

    /** ip_sublist_rcv_finish() calls the route's input method, ip_local_deliver(). */
    @Linux("ip_sublist_rcv_finish")
    @Frame(bytes = 32, locals = 0, align = 8)
    static void ipSublistRcvFinish() {
        ipLocalDeliverFinish();
    }

    /** ip_local_deliver() ends in a jump to ip_local_deliver_finish(): its frame is gone. */
    @Linux("ip_local_deliver_finish")
    @Frame(bytes = 24, locals = 0, align = 8)
    static void ipLocalDeliverFinish() {
        ipProtocolDeliverRcu();
    }

    @Linux("ip_protocol_deliver_rcu")
    @Frame(bytes = 40, locals = 0, align = 8)
    static void ipProtocolDeliverRcu() {
        tcpV4Rcv();
    }

    @Linux("tcp_v4_rcv")
    @Frame(bytes = 216, locals = 112, align = 8)
    static void tcpV4Rcv() {
        tcpV4DoRcv();
    }

    @Linux("tcp_v4_do_rcv")
    @Frame(bytes = 40, locals = 0, align = 8)
    static void tcpV4DoRcv() {
        tcpRcvEstablished();
    }

    @Linux("tcp_rcv_established")
    @Frame(bytes = 80, locals = 24, align = 8)
    static void tcpRcvEstablished() {
        tcpDataQueue();
    }

    @Linux("tcp_data_queue")
    @Frame(bytes = 104, locals = 48, align = 8)
    static void tcpDataQueue() {
        tcpDataReady();
    }

    /** tcp_data_ready() calls the socket's data_ready method. */
    @Linux("tcp_data_ready")
    @Frame(bytes = 8, locals = 0, align = 8)
    static void tcpDataReady() {
        sockDefReadable();
    }

    @Linux("sock_def_readable")
    @Frame(bytes = 16, locals = 0, align = 8)
    static void sockDefReadable() {
        wakeUpSyncKey();
    }

    @Linux("__wake_up_sync_key")
    @Frame(bytes = 40, locals = 0, align = 8)
    static void wakeUpSyncKey() {
        wakeUpCommon();
    }

    /** __wake_up_common() calls each waiter's wake function: poll's. */
    @Linux("__wake_up_common")
    @Frame(bytes = 64, locals = 8, align = 8)
    static void wakeUpCommon() {
        pollwake();
    }

    /** pollwake() calls default_wake_function(), which jumps to try_to_wake_up(). */
    @Linux("pollwake")
    @Frame(bytes = 56, locals = 48, align = 8)
    static void pollwake() {
        tryToWakeUp();
    }

    /** try_to_wake_up() calls the scheduling class's select_task_rq method. */
    @Linux("try_to_wake_up")
    @Frame(bytes = 88, locals = 32, align = 8)
    static void tryToWakeUp() {
        selectTaskRqFair();
    }

    @Linux("select_task_rq_fair")
    @Frame(bytes = 248, locals = 192, align = 8)
    static void selectTaskRqFair() {
    }
}

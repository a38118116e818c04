package io.dynstack.workloads.bench.chains.syscall;

import io.dynstack.workloads.bench.Inline;

/** The socket side of poll: sock_poll and tcp_poll, small frames. */
final class Net {

    private Net() {
    }

    static long tcpPoll(long sk) {
        return sockPollWait(Inline.mix(sk));
    }

    static long sockPollWait(long sk) {
        return Inline.mix(sk);
    }
}

package io.parley.adapters.ws.archfixture;

import io.parley.application.port.out.RoomLog;
import io.parley.domain.RoomId;

/**
 * Breaks {@code inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine}: a transport that
 * reads the room log itself.
 */
final class WsReadingTheLog {
    private final RoomLog log;

    WsReadingTheLog(RoomLog log) {
        this.log = log;
    }

    long lastSeq(RoomId room) {
        return log.lastSeq(room);
    }
}

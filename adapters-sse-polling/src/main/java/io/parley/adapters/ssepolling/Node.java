package io.parley.adapters.ssepolling;

import io.parley.application.ChatCore;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.IdGenerator;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.engine.SessionHub;
import io.parley.wire.HttpAccess;
import io.parley.wire.ProtocolCodec;

import java.time.Clock;
import java.time.Duration;

/**
 * What this node's streams, polls and command POSTs share: the core's ports and use cases, the session
 * records, the topic listeners, the codec and the settings.
 *
 * @param core      the chat core
 * @param hub       this node's session hub (commands and presence of sessions served here)
 * @param records   session records, shared by every node
 * @param listeners this node's fan-out listeners
 * @param access    authentication and origin rules
 * @param codec     protocol codec
 * @param encodings the texts of fanned-out events, encoded once per node
 * @param settings  transport settings
 */
record Node(ChatCore core, SessionHub hub, ResumableSessions records, TopicListeners listeners, HttpAccess access,
            ProtocolCodec codec, SharedEncodings encodings, SsePollingSettings settings) {

    ManageRooms manageRooms() {
        return core.rooms();
    }

    Rooms rooms() {
        return core.context().rooms();
    }

    RoomLog log() {
        return core.context().log();
    }

    Fanout fanout() {
        return core.context().fanout();
    }

    Clock clock() {
        return core.context().clock();
    }

    IdGenerator ids() {
        return core.context().ids();
    }

    ChatMetrics metrics() {
        return core.context().metrics();
    }

    Duration heartbeat() {
        return hub.settings().heartbeat();
    }

    int replayLimit() {
        return hub.settings().replayLimit();
    }
}

package io.parley.engine.resumable;

import io.parley.application.ChatCore;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.IdGenerator;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.engine.SessionHub;

import java.time.Clock;
import java.time.Duration;

/**
 * What this node's resumable sessions share: the core's ports and use cases, the session hub, the session
 * records, the topic listeners, the shared encodings and the settings. Passed to each part, never looked up.
 *
 * @param core      the chat core
 * @param hub       this node's session hub (commands and presence of sessions served here)
 * @param records   session records, shared by every node
 * @param listeners this node's fan-out listeners
 * @param encodings the bytes of fanned-out events, encoded once per node
 * @param settings  resumable-session settings
 * @param deadlines the waiting readers' deadlines, kept by one clock
 */
record Node(ChatCore core, SessionHub hub, ResumableSessions records, TopicListeners listeners,
            SharedEncodings encodings, ResumableSettings settings, Deadlines deadlines) {

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

    int maxSubscriptions() {
        return hub.settings().maxSubscriptionsPerSession();
    }
}

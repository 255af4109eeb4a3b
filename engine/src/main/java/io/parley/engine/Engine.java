package io.parley.engine;

import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.domain.ErrorCode;
import io.parley.domain.UserId;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every session and room feed of one hub works with, fixed when the hub is built and handed to each
 * of them at construction: nothing is looked up later.
 *
 * @param log        the room event log (replay and gap reads)
 * @param roomStore  rooms and memberships (inbox following)
 * @param rooms      room use cases (membership checks on subscribe)
 * @param fanout     publish/subscribe between nodes
 * @param clock      time
 * @param metrics    monitoring
 * @param encoder    the wire encoder: each event is encoded once per node
 * @param settings   session settings
 * @param scheduler  the shared scheduler (heartbeats, gap checks, close timeouts)
 * @param workers    virtual threads for store reads, room feeds and session drains
 * @param commands   the command handler every session shares
 * @param userCommands the command rate of each user over all their sessions (on every node together when the
 *                     core's usage counters are shared)
 */
record Engine(RoomLog log, Rooms roomStore, ManageRooms rooms, Fanout fanout, Clock clock, ChatMetrics metrics,
              EventEncoder encoder, SessionSettings settings, ScheduledExecutorService scheduler,
              ExecutorService workers, CommandHandler commands, UserCommandBudget userCommands) {

    /**
     * Counts one command against its user's rate over all their sessions, whatever the transport.
     *
     * @param user the command's user
     * @param ref  the command's ref
     * @return the {@code rate_limited} reply when the user is over the rate; empty when the command may run
     */
    Optional<ServerEvent.Error> overUserRate(UserId user, Optional<String> ref) {
        if (userCommands.tryAcquire(user)) {
            return Optional.empty();
        }
        metrics.limitRefused("commands_per_user");
        return Optional.of(ServerEvent.Error.of(ref, ErrorCode.RATE_LIMITED,
                "too many commands from your sessions together, slow down"));
    }
}

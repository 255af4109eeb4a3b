package io.parley.application.service;

import io.parley.application.port.out.ChatHooks;
import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.IdGenerator;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.UsageCounters;
import io.parley.application.port.out.Rooms;
import io.parley.domain.ChatLimits;

import java.time.Clock;
import java.util.Objects;

/**
 * The outbound ports and settings the use cases share.
 *
 * @param rooms    rooms and memberships
 * @param log      room event log
 * @param fanout   publish/subscribe between nodes
 * @param presence presence registry
 * @param clock    time
 * @param ids      id generator
 * @param limits   size limits
 * @param usage    limits on what one user may make
 * @param counters the counts behind the per-user limits (shared by every node where the adapter can)
 * @param metrics  monitoring
 * @param hooks    the embedding product's decisions
 */
public record ChatContext(Rooms rooms, RoomLog log, Fanout fanout, PresenceRegistry presence, Clock clock,
                          IdGenerator ids, ChatLimits limits, UsageLimits usage, UsageCounters counters,
                          ChatMetrics metrics, ChatHooks hooks) {
    /** Validates the context. */
    public ChatContext {
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(fanout, "fanout");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(hooks, "hooks");
    }
}

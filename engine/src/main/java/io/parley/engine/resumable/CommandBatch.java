package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.ErrorCode;
import io.parley.domain.User;
import io.parley.engine.ClientCommand;
import io.parley.engine.CommandBuckets;
import io.parley.engine.ServerEvent;

import java.time.Instant;
import java.util.Optional;

/**
 * Commands a client sent for its resumable session in one request, run on whatever node received them
 * through the same command handling as a live session, each with its reply, under the session's command
 * rate. Subscription changes go to the session's record; {@link #close()} announces them on the session's
 * topic, so the node serving the stream or poll picks them up, and keeps the session from expiring.
 */
public final class CommandBatch implements AutoCloseable {
    private final Node node;
    private final Liveness liveness;
    private final CommandBuckets<String> rates;
    private final User user;
    private final ResumableSession record;
    private final Instant received;
    private final RecordedSubscriptions subscriptions;

    CommandBatch(Node node, Liveness liveness, CommandBuckets<String> rates, User user, ResumableSession record,
                 Instant received) {
        this.node = node;
        this.liveness = liveness;
        this.rates = rates;
        this.user = user;
        this.record = record;
        this.received = received;
        this.subscriptions = new RecordedSubscriptions(node, user, record.id());
    }

    /**
     * @param command a decoded command
     * @return its reply (an {@code error} with {@code rate_limited} above the session's command rate)
     */
    public ServerEvent run(ClientCommand command) {
        if (!rates.tryAcquire(record.id())) {
            return ServerEvent.Error.of(command.ref(), ErrorCode.RATE_LIMITED, "too many commands, slow down");
        }
        Optional<ServerEvent.Error> overUserRate = node.hub().overUserRate(user.id(), command.ref());
        if (overUserRate.isPresent()) {
            return overUserRate.get();
        }
        return node.hub().execute(user, record.id(), subscriptions, command);
    }

    /** Announces subscription changes to the session's reader and pushes the session's expiry back. */
    @Override
    public void close() {
        if (subscriptions.changed()) {
            node.fanout().publish(Topic.session(record.id()), new Signal.SessionUpdated(record.id()));
        }
        liveness.used(record.id(), received);
    }
}

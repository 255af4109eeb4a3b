package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.ConnectTickets;
import io.parley.application.port.out.TokenVerifier;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates an in-memory {@link ConnectTickets}: for one node (or several nodes in one JVM sharing the instance).
 * With several processes, tickets must live in a store they share (the PostgreSQL store keeps them).
 */
public final class InMemoryConnectTickets {
    private InMemoryConnectTickets() {
    }

    /** @return a new, empty ticket store */
    public static ConnectTickets create() {
        return new Tickets();
    }

    private static final class Tickets implements ConnectTickets {
        /** Expired tickets are swept when the map grows past this (a ticket lives seconds). */
        private static final int SWEEP_ABOVE = 1024;

        private record Ticket(TokenVerifier.VerifiedToken token, Instant expiresAt) {
        }

        private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();

        @Override
        public void store(String id, TokenVerifier.VerifiedToken token, Instant now, Instant expiresAt) {
            Objects.requireNonNull(id, "id");
            if (tickets.size() > SWEEP_ABOVE) {
                tickets.values().removeIf(ticket -> !now.isBefore(ticket.expiresAt()));
            }
            tickets.put(id, new Ticket(Objects.requireNonNull(token, "token"), Objects.requireNonNull(expiresAt)));
        }

        @Override
        public Optional<TokenVerifier.VerifiedToken> take(String id, Instant now) {
            Ticket ticket = tickets.remove(Objects.requireNonNull(id, "id"));
            return ticket == null || !now.isBefore(ticket.expiresAt()) ? Optional.empty() : Optional.of(ticket.token());
        }
    }
}

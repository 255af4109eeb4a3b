package io.parley.wire;

import io.parley.application.port.out.ConnectTickets;
import io.parley.application.port.out.TokenVerifier.VerifiedToken;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connect tickets: random, stored by their hash, once, within 30 s, never past the token's own expiry. */
class HttpAccessTicketsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private final Map<String, VerifiedToken> stored = new HashMap<>();
    private final Map<String, Instant> expiries = new HashMap<>();
    private Instant now = T0;

    private final ConnectTickets store = new ConnectTickets() {
        @Override
        public void store(String id, VerifiedToken token, Instant issued, Instant expiresAt) {
            stored.put(id, token);
            expiries.put(id, expiresAt);
        }

        @Override
        public Optional<VerifiedToken> take(String id, Instant at) {
            VerifiedToken token = stored.remove(id);
            return token != null && at.isBefore(expiries.get(id)) ? Optional.of(token) : Optional.empty();
        }
    };

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private final HttpAccess access = HttpAccess.create(token -> {
        throw new ParleyException(ErrorCode.UNAUTHORIZED, "no JWTs in this test");
    }, List.of()).withTickets(store, clock);

    private VerifiedToken ann(Instant expires) {
        return new VerifiedToken(User.of("ann"), expires);
    }

    @Test
    void a_ticket_stands_for_its_token_once_and_the_store_never_sees_it() {
        VerifiedToken token = ann(T0.plusSeconds(3600));
        String ticket = access.issueTicket(token);

        assertTrue(ticket.length() >= 43, "256 random bits: " + ticket);
        assertFalse(stored.containsKey(ticket), "stored by its hash only");
        assertEquals(token, access.authenticate(Optional.empty(), Optional.empty(), Optional.of(ticket)));
        ParleyException again = assertThrows(ParleyException.class,
                () -> access.authenticate(Optional.empty(), Optional.empty(), Optional.of(ticket)));
        assertEquals(ErrorCode.UNAUTHORIZED, again.code());
        assertTrue(again.getMessage().contains("POST /v1/tickets"), again.getMessage());
    }

    @Test
    void a_ticket_expires_after_30_seconds_and_with_its_token() {
        String late = access.issueTicket(ann(T0.plusSeconds(3600)));
        String shortLived = access.issueTicket(ann(T0.plusSeconds(10)));
        now = T0.plusSeconds(30);

        assertThrows(ParleyException.class,
                () -> access.authenticate(Optional.empty(), Optional.empty(), Optional.of(late)));
        now = T0.plusSeconds(10);
        ParleyException expired = assertThrows(ParleyException.class,
                () -> access.authenticate(Optional.empty(), Optional.empty(), Optional.of(shortLived)));
        assertEquals("token expired", expired.getMessage());
    }

    @Test
    void without_a_ticket_the_token_rules_apply_and_without_a_store_tickets_are_refused() {
        assertThrows(ParleyException.class, () -> access.authenticate(Optional.empty(), Optional.empty(),
                Optional.empty()));
        HttpAccess plain = HttpAccess.create(token -> ann(Instant.MAX), List.of());
        assertFalse(plain.ticketsEnabled());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ParleyException.class, () -> plain.issueTicket(ann(T0))).code());
        assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(ParleyException.class,
                () -> plain.authenticate(Optional.empty(), Optional.empty(), Optional.of("t"))).code());
    }
}

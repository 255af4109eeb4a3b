package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier.VerifiedToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens this node accepted recently, so that a client presenting the same token again — every long-poll,
 * every command POST, every SSE or WebSocket reconnect — costs a SHA-256 of the token instead of a JSON
 * parse and a signature check.
 *
 * <p>A hit decides exactly as a fresh verification would: the signature, algorithm, issuer, audience and
 * {@code nbf} checks passed for these exact bytes, the keys do not change while the node runs, and the entry
 * stops answering when the token expires ({@code exp} plus the allowed skew, as jose4j counts it). An entry
 * also stops after {@link #MAX_AGE}, so that nothing accepted lives on in the cache for long. Only accepted
 * tokens are kept; a refused one is verified again every time. The key is the token's SHA-256 digest, so no
 * bearer token is held in memory beyond the request that carried it. Bounded: when full, expired entries
 * are dropped, and if none was, the new token is simply not cached.
 */
final class VerifiedTokenCache {
    /** The longest an accepted token is answered from the cache before it is verified again. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final int capacity;
    private final Clock clock;
    private final long skewMillis;
    private final ConcurrentHashMap<Digest, Entry> entries = new ConcurrentHashMap<>();

    /** The SHA-256 of a token. */
    record Digest(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Digest d && MessageDigest.isEqual(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Digest";
        }
    }

    private record Entry(VerifiedToken token, long validUntilMillis) {
    }

    /**
     * @param capacity the most tokens kept; 0 turns the cache off
     * @param clock    the verifier's clock
     * @param skew     the verifier's allowed clock skew on {@code exp}
     */
    VerifiedTokenCache(int capacity, Clock clock, Duration skew) {
        this.capacity = capacity;
        this.clock = clock;
        this.skewMillis = skew.toMillis();
    }

    boolean enabled() {
        return capacity > 0;
    }

    static Digest digest(String token) {
        try {
            return new Digest(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @return the token verified earlier under this digest, if it is still valid; otherwise null */
    VerifiedToken get(Digest digest) {
        Entry entry = entries.get(digest);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.validUntilMillis) {
            entries.remove(digest, entry);
            return null;
        }
        return entry.token;
    }

    /** Remembers an accepted token. */
    void put(Digest digest, VerifiedToken token) {
        long now = clock.millis();
        long validUntil = now + MAX_AGE.toMillis();
        Instant expiresAt = token.expiresAt();
        if (expiresAt.isBefore(Instant.ofEpochMilli(validUntil - skewMillis))) {
            validUntil = expiresAt.toEpochMilli() + skewMillis;
        }
        if (entries.size() >= capacity) {
            entries.values().removeIf(entry -> now >= entry.validUntilMillis);
            if (entries.size() >= capacity) {
                return;
            }
        }
        entries.put(digest, new Entry(token, validUntil));
    }

    /** @return how many tokens are kept (for tests) */
    int size() {
        return entries.size();
    }
}

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
 * bearer token is held in memory beyond the request that carried it.
 *
 * <p>Bounded in two generations of at most half the capacity each: new tokens go to the young one; when it
 * is full it becomes the old one and the previous old one is dropped whole. A token found in the old
 * generation moves to the young one, so the tokens in use stay and the others age out, at O(1) per call.
 */
final class VerifiedTokenCache {
    /** The longest an accepted token is answered from the cache before it is verified again. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final int capacity;
    private final Clock clock;
    private final long skewMillis;
    private final int generation;
    private volatile ConcurrentHashMap<Digest, Entry> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<Digest, Entry> old = new ConcurrentHashMap<>();

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
        this.generation = Math.max(1, capacity / 2);
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
        ConcurrentHashMap<Digest, Entry> current = young;
        Entry entry = current.get(digest);
        if (entry == null) {
            entry = old.remove(digest);
            if (entry == null) {
                return null;
            }
            keep(digest, entry);
        }
        if (clock.millis() >= entry.validUntilMillis) {
            young.remove(digest, entry);
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
        keep(digest, new Entry(token, validUntil));
    }

    private void keep(Digest digest, Entry entry) {
        ConcurrentHashMap<Digest, Entry> current = young;
        if (current.size() >= generation) {
            synchronized (this) {
                if (young == current) {
                    old = current;
                    young = new ConcurrentHashMap<>();
                }
                current = young;
            }
        }
        current.put(digest, entry);
    }

    /** @return how many tokens are kept (for tests) */
    int size() {
        return young.size() + old.size();
    }
}

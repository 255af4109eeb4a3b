package io.parley.adapters.rest;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The credentials of the server API: API keys, known only by their SHA-256 (the configuration holds hashes,
 * so reading it does not give a key away), several at once so that a key can be rotated without downtime,
 * each with the scopes it may use. Why keys rather than a service JWT: the backends that call this API
 * (FastAPI, Express) send a fixed header with no signing library and no clock to keep in step, and a key
 * is revoked by removing its line.
 */
public final class ServerKeys {
    /** What a key may do. */
    public enum Scope {
        /** create rooms, change their settings, add and remove members */
        ROOMS,
        /** post messages as a member */
        MESSAGES,
        /** read history, members and presence */
        READ,
        /** end a user's sessions, revoke a user's tokens */
        USERS;

        /**
         * @param name the scope as configured ({@code rooms}, {@code messages}, {@code read})
         * @return the scope
         * @throws IllegalArgumentException for another name
         */
        public static Scope named(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a server API scope is rooms, messages, read or users, not \""
                        + name.strip() + "\"");
            }
        }
    }

    /**
     * One key.
     *
     * @param id     a name for logs and metrics (never the key)
     * @param sha256 the key's SHA-256, as 64 hex digits
     * @param scopes what it may do
     */
    public record Key(String id, String sha256, Set<Scope> scopes) {
        /** Checks the parts. */
        public Key {
            Objects.requireNonNull(id, "id");
            if (sha256 == null || !sha256.strip().matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("server API key " + id
                        + ": sha256 must be the key's SHA-256 as 64 hex digits (bin/parley server-key prints one)");
            }
            sha256 = sha256.strip().toLowerCase(Locale.ROOT);
            scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        }
    }

    private final List<Key> keys;

    private ServerKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * @param keys the keys accepted
     * @return the credentials
     */
    public static ServerKeys of(List<Key> keys) {
        return new ServerKeys(keys);
    }

    /** @return whether no key is configured (the server API is then off) */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * @param key a key as a caller presents it
     * @return its SHA-256 as 64 hex digits, for the configuration
     */
    public static String sha256(String key) {
        return HexFormat.of().formatHex(digest(key));
    }

    /**
     * @param authorization the {@code Authorization} header
     * @param scope         what the request needs
     * @return the key that was presented
     * @throws ParleyException {@code unauthorized} without a known key, {@code forbidden} when its scopes
     *                         do not include {@code scope}
     */
    Key authenticate(Optional<String> authorization, Scope scope) {
        String presented = authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip())
                .orElseThrow(() -> new ParleyException(ErrorCode.UNAUTHORIZED,
                        "the server API needs an API key: Authorization: Bearer <key>"));
        byte[] digest = digest(presented);
        Key match = null;
        for (Key key : keys) { // every key compared, in constant time each
            if (MessageDigest.isEqual(digest, HexFormat.of().parseHex(key.sha256())) && match == null) {
                match = key;
            }
        }
        if (match == null) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "unknown API key");
        }
        if (!match.scopes().contains(scope)) {
            throw ParleyException.forbidden("this API key lacks the scope " + scope.name().toLowerCase(Locale.ROOT));
        }
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

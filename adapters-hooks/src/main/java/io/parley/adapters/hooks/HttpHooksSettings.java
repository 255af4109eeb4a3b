package io.parley.adapters.hooks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where and how {@link HttpHooks} asks the backend.
 *
 * @param url       the backend's endpoint (http or https), POSTed one JSON request per decision
 * @param timeout   how long a decision may take, connecting included; then {@code onFailure} decides
 * @param cacheFor  how long a join or subscribe decision is reused for the same user and room (zero: never);
 *                  send decisions are never reused
 * @param rooms     the rooms asked about, as globs ({@code deal-*}); others are allowed without a call
 * @param asked     which decisions are the backend's
 * @param failOpen  whether a backend that fails (timeout, error status, a malformed answer) allows; by default
 *                  it refuses, with {@code unavailable} (which clients retry)
 * @param secret    when given, each request is signed ({@code Parley-Signature}, HMAC-SHA256 as webhooks are)
 * @param clock     time, for the cache and the signature
 */
public record HttpHooksSettings(URI url, Duration timeout, Duration cacheFor, List<String> rooms, Set<Hook> asked,
                                boolean failOpen, Optional<String> secret, Clock clock) {
    /** The decisions a backend can take over. */
    public enum Hook {
        /** before a message is posted or edited */
        SEND,
        /** before a user becomes a member */
        JOIN,
        /** before a session subscribes to a room */
        SUBSCRIBE
    }

    /** Checks the settings. */
    public HttpHooksSettings {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("the hooks URL must be an absolute http(s) URL, not "
                    + (scheme.isEmpty() ? "a relative one" : "a " + scheme + " one"));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the hooks timeout must be positive");
        }
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("the hooks cache duration must not be negative");
        }
        rooms = List.copyOf(rooms);
        if (rooms.isEmpty()) {
            throw new IllegalArgumentException("name the rooms the hooks decide for ('*' for all)");
        }
        asked = asked.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(asked));
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param url the backend's endpoint
     * @return every decision asked, for every room, within 2 s, cached 10 s, refusing when the backend fails
     */
    public static HttpHooksSettings of(URI url) {
        return new HttpHooksSettings(url, Duration.ofSeconds(2), Duration.ofSeconds(10), List.of("*"),
                EnumSet.allOf(Hook.class), false, Optional.empty(), Clock.systemUTC());
    }

    /** @return the URL as logs may show it: without user info, query or fragment, which may hold secrets */
    public String shownUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** @return the room globs as one pattern */
    Pattern roomPattern() {
        return Pattern.compile(String.join("|", rooms.stream().map(HttpHooksSettings::glob).toList()));
    }

    private static String glob(String glob) {
        // '*' is any run of characters; everything else stands for itself
        return "(?:" + String.join(".*", java.util.Arrays.stream(glob.strip().split("\\*", -1))
                .map(Pattern::quote).toList()) + ")";
    }
}

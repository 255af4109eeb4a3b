package io.parley.engine;

import java.util.Objects;

/**
 * Where a connection comes from, as its transport saw it when it opened: the client's address (after
 * {@link TrustedProxies}) and its {@code User-Agent}. Recorded in the connection log, never used to decide
 * anything.
 *
 * @param address   the client's IP address, or {@code "-"} when unknown
 * @param userAgent the {@code User-Agent} header, or {@code "-"} when absent
 */
public record Peer(String address, String userAgent) {
    /** A connection whose origin the transport does not know (tests, in-process sessions). */
    public static final Peer UNKNOWN = new Peer("-", "-");

    public Peer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(userAgent, "userAgent");
    }
}

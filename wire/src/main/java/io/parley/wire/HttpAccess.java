package io.parley.wire;

import io.parley.application.port.out.ConnectTickets;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import io.parley.engine.Peer;
import io.parley.engine.TrustedProxies;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who may open a connection or call an endpoint, as protocol v1 states it for every HTTP transport: a JWT
 * as {@code Authorization: Bearer …} or, since browsers cannot set headers on WebSocket or EventSource,
 * as the {@code access_token} query parameter; and, for WebSocket and SSE, an {@code Origin} on the
 * allow-list (CORS does not protect WebSocket: a page on any site may open one with the user's cookies,
 * so the server must check the Origin itself).
 *
 * <p>A request without an {@code Origin} header is allowed: browsers always send one on WebSocket and
 * cross-origin requests, so its absence means a non-browser client, which a bearer token authenticates.
 *
 * <p>With {@link #withTickets tickets}, a URL may carry a {@code ticket} instead of the token: a random
 * 256-bit value {@link #issueTicket issued} for a verified token, valid {@link #TICKET_TTL} once, on any node
 * sharing the ticket store, which keeps only its SHA-256. Access tokens then stay out of URLs, and so out of
 * proxy logs, browser history and {@code Referer} headers.
 */
public final class HttpAccess {
    /** How long a connect ticket may wait to be used. */
    public static final Duration TICKET_TTL = Duration.ofSeconds(30);

    private static final String BEARER = "bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final TokenVerifier verifier;
    private final List<String> allowedOrigins;
    private final boolean anyOrigin;
    private final Optional<ConnectTickets> tickets;
    private final Clock clock;
    private final TrustedProxies proxies;
    private final RefusalLog refusals;
    private final Consumer<TokenVerifier.VerifiedToken> check;

    private HttpAccess(TokenVerifier verifier, List<String> allowedOrigins, Optional<ConnectTickets> tickets,
                       Clock clock, TrustedProxies proxies, RefusalLog refusals,
                       Consumer<TokenVerifier.VerifiedToken> check) {
        this.verifier = Objects.requireNonNull(verifier);
        this.check = Objects.requireNonNull(check);
        this.proxies = Objects.requireNonNull(proxies);
        this.refusals = Objects.requireNonNull(refusals);
        this.anyOrigin = allowedOrigins.contains("*");
        this.allowedOrigins = allowedOrigins.stream().map(HttpAccess::normalise).toList();
        this.tickets = tickets;
        this.clock = clock;
    }

    /**
     * @param verifier       token verifier
     * @param allowedOrigins exact origins ({@code https://chat.example.com}); {@code *} allows any (dev only)
     * @return the access rules
     */
    public static HttpAccess create(TokenVerifier verifier, List<String> allowedOrigins) {
        return new HttpAccess(verifier, List.copyOf(allowedOrigins), Optional.empty(), Clock.systemUTC(),
                TrustedProxies.NONE, new RefusalLog(), token -> { });
    }

    /**
     * @param store where tickets are kept (shared by every node that may redeem them)
     * @param now   the clock tickets expire by
     * @return these rules, accepting connect tickets too
     */
    public HttpAccess withTickets(ConnectTickets store, Clock now) {
        return new HttpAccess(verifier, allowedOrigins, Optional.of(Objects.requireNonNull(store)),
                Objects.requireNonNull(now), proxies, refusals, check);
    }

    /** @return the proxies whose {@code X-Forwarded-For} is believed */
    public TrustedProxies trustedProxies() {
        return proxies;
    }

    /**
     * @param trusted the proxies whose {@code X-Forwarded-For} names the client
     * @return these rules, reading client addresses through those proxies
     */
    public HttpAccess withTrustedProxies(TrustedProxies trusted) {
        return new HttpAccess(verifier, allowedOrigins, tickets, clock, trusted, refusals, check);
    }

    /**
     * @param check asked about every verified token and every redeemed ticket's token, after the signature
     *              and expiry checks: throws {@code unauthorized} to refuse it (the core's revocations:
     *              {@code ManageUsers::checkNotRevoked})
     * @return these rules, refusing what {@code check} refuses
     */
    public HttpAccess withTokenCheck(Consumer<TokenVerifier.VerifiedToken> check) {
        return new HttpAccess(verifier, allowedOrigins, tickets, clock, proxies, refusals, check);
    }

    /** @return where this server's transports count the requests they refuse */
    public RefusalLog refusals() {
        return refusals;
    }

    /**
     * Where a connection comes from, for the connection log.
     *
     * @param remoteAddress the socket's remote address
     * @param xForwardedFor the {@code X-Forwarded-For} header, if any (believed from trusted proxies only)
     * @param userAgent     the {@code User-Agent} header, if any
     * @return the peer
     */
    public Peer peer(SocketAddress remoteAddress, Optional<String> xForwardedFor, Optional<String> userAgent) {
        return new Peer(clientAddress(remoteAddress, xForwardedFor), userAgent.orElse("-"));
    }

    /**
     * Counts a request refused by these rules (origin, token) or by the node (draining) for the server log
     * ({@link #refusals()}), with the client's address through the trusted proxies.
     *
     * @param refusal       what the client was told
     * @param method        the request's method
     * @param path          its path, without the query
     * @param remoteAddress the socket's remote address
     * @param xForwardedFor the {@code X-Forwarded-For} header, if any
     * @param origin        the {@code Origin} header, if any
     */
    public void refused(ParleyException refusal, String method, String path, SocketAddress remoteAddress,
                        Optional<String> xForwardedFor, Optional<String> origin) {
        refusals.refused(refusal, method, path, clientAddress(remoteAddress, xForwardedFor), origin);
    }

    /**
     * The client's address: the socket's peer, or what {@code X-Forwarded-For} says when that peer is a
     * trusted proxy.
     *
     * @param remoteAddress the socket's remote address
     * @param xForwardedFor the {@code X-Forwarded-For} header, if any
     * @return an IP address, or {@code "-"} when the socket's is unknown
     */
    public String clientAddress(SocketAddress remoteAddress, Optional<String> xForwardedFor) {
        String remote = remoteAddress instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : "-";
        return proxies.clientAddress(remote, xForwardedFor);
    }

    /** @return whether connect tickets are issued and accepted */
    public boolean ticketsEnabled() {
        return tickets.isPresent();
    }

    /**
     * Issues a connect ticket for a verified token.
     *
     * @param token the token, verified from an {@code Authorization} header
     * @return the ticket, valid {@link #TICKET_TTL} for one connection
     * @throws ParleyException {@link ErrorCode#NOT_FOUND} when tickets are not enabled
     */
    public String issueTicket(TokenVerifier.VerifiedToken token) {
        ConnectTickets store = tickets.orElseThrow(() -> ParleyException.notFound("connect tickets are not enabled"));
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String ticket = BASE64URL.encodeToString(random);
        Instant now = clock.instant();
        store.store(ticketId(ticket), token, now, now.plus(TICKET_TTL));
        return ticket;
    }

    /**
     * Authenticates a connection request: by its {@code ticket} when it has one, otherwise as
     * {@link #authenticate(Optional, Optional)} does.
     *
     * @param authorization the {@code Authorization} header, if any
     * @param accessToken   the {@code access_token} query parameter, if any
     * @param ticket        the {@code ticket} query parameter, if any
     * @return the verified token the ticket was issued for, or the token
     * @throws ParleyException {@link ErrorCode#UNAUTHORIZED} when the ticket is unknown, used or expired, or no
     *                         valid token is present
     */
    public TokenVerifier.VerifiedToken authenticate(Optional<String> authorization, Optional<String> accessToken,
                                                    Optional<String> ticket) {
        Optional<String> given = ticket.map(String::strip).filter(value -> !value.isEmpty());
        if (given.isEmpty()) {
            return authenticate(authorization, accessToken);
        }
        if (tickets.isEmpty()) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "connect tickets are not enabled on this server");
        }
        Instant now = clock.instant();
        TokenVerifier.VerifiedToken token = tickets.get().take(ticketId(given.get()), now)
                .orElseThrow(() -> new ParleyException(ErrorCode.UNAUTHORIZED,
                        "the ticket is unknown, used or expired: get a new one (POST /v1/tickets)"));
        if (!now.isBefore(token.expiresAt())) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "token expired");
        }
        check.accept(token);
        return token;
    }

    /** The id a ticket is stored under: its SHA-256, so the store holds nothing that can be replayed. */
    private static String ticketId(String ticket) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(ticket.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Authenticates a request.
     *
     * @param authorization the {@code Authorization} header, if any
     * @param accessToken   the {@code access_token} query parameter, if any
     * @return the verified token
     * @throws ParleyException {@link ErrorCode#UNAUTHORIZED} when no valid token is present
     */
    public TokenVerifier.VerifiedToken authenticate(Optional<String> authorization, Optional<String> accessToken) {
        Optional<String> token = authorization
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(value -> value.substring(BEARER.length()).strip())
                .or(() -> accessToken.map(String::strip))
                .filter(value -> !value.isEmpty());
        if (token.isEmpty()) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "missing token: send Authorization: Bearer <jwt> "
                    + "or access_token");
        }
        TokenVerifier.VerifiedToken verified = verifier.verify(token.get());
        check.accept(verified);
        return verified;
    }

    /**
     * @param origin the {@code Origin} header, if any
     * @return whether a browser page from that origin may connect
     */
    public boolean originAllowed(Optional<String> origin) {
        if (origin.isEmpty() || anyOrigin) {
            return true;
        }
        return allowedOrigins.contains(normalise(origin.get()));
    }

    private static String normalise(String origin) {
        String trimmed = origin.strip().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}

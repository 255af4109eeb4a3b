package io.parley.adapters.ws;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.parley.engine.SessionHub;
import io.parley.wire.HttpAccess;
import io.parley.wire.ProtocolCodec;

import java.util.Objects;

/**
 * Protocol v1 over WebSocket. Add {@link #routing()} to a Helidon web server; configure the server's
 * WebSocket {@code max-frame-length} to the same frame limit.
 *
 * <ul>
 *     <li>Upgrade: a disallowed {@code Origin} gets HTTP 403, a missing or invalid token HTTP 401, both
 *     before the upgrade.</li>
 *     <li>After the upgrade every text frame is one command; a message over {@code maxMessageBytes}
 *     (fragments included) closes the connection with 1009; a binary frame gets an {@code invalid}
 *     error.</li>
 *     <li>The session layer pings at the heartbeat interval and closes a silent peer, closes with 4001
 *     when the token expires, with 4008 when the client reads too slowly and with 1001 on shutdown.</li>
 * </ul>
 */
public final class WebSocketTransport {
    /** The endpoint path. */
    public static final String PATH = "/v1/ws";
    /** What a plain GET of {@value #PATH} is told. */
    static final String UPGRADE_MISSING = "this is the WebSocket endpoint, and the request arrived without the "
            + "Upgrade and Connection headers of a WebSocket handshake. Behind a proxy, pass them on (nginx: "
            + "proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "
            + "\"upgrade\";). Clients that cannot use WebSocket can use /v1/events or /v1/poll.";

    private final SessionHub hub;
    private final HttpAccess access;
    private final ProtocolCodec codec;
    private final int maxMessageBytes;

    private WebSocketTransport(SessionHub hub, HttpAccess access, ProtocolCodec codec, int maxMessageBytes) {
        this.hub = Objects.requireNonNull(hub);
        this.access = Objects.requireNonNull(access);
        this.codec = Objects.requireNonNull(codec);
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max message size must be at least 1024 bytes");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * @param hub             the node's sessions
     * @param access          authentication and origin rules
     * @param codec           the protocol codec
     * @param maxMessageBytes the largest command accepted, in bytes (UTF-8), fragments included
     * @return the transport
     */
    public static WebSocketTransport create(SessionHub hub, HttpAccess access, ProtocolCodec codec,
                                            int maxMessageBytes) {
        return new WebSocketTransport(hub, access, codec, maxMessageBytes);
    }

    /**
     * The answer to a plain HTTP request for {@value #PATH}, one that arrived without the
     * {@code Upgrade}/{@code Connection} headers: a proxy that does not pass them on is the usual cause, and
     * a generic 404 would send the user looking for a wrong path. {@code 426 Upgrade Required} with
     * {@code Upgrade: websocket} and an {@code invalid} error whose message names the fix. Add it to the HTTP
     * routing next to {@link #routing()}.
     *
     * @param routing the server's HTTP routing
     */
    public void upgradeRequired(HttpRouting.Builder routing) {
        String body = codec.encodeError("invalid", UPGRADE_MISSING);
        routing.get(PATH, (req, res) -> {
            access.refusals().refused(426, "upgrade_required", "GET", PATH, access.clientAddress(
                    req.remotePeer().address(), req.headers().first(HeaderNames.X_FORWARDED_FOR)), UPGRADE_MISSING);
            res.status(Status.UPGRADE_REQUIRED_426);
            res.headers().set(HeaderNames.UPGRADE, "websocket");
            res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(body);
        });
    }

    /** @return the WebSocket routing with the {@value #PATH} endpoint; one listener per connection */
    public WsRouting.Builder routing() {
        return WsRouting.builder().endpoint(PATH, () -> new ConnectionListener(hub, access, codec, maxMessageBytes));
    }
}

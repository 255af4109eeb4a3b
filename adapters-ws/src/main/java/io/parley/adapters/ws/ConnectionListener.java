package io.parley.adapters.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.engine.ChatSession;
import io.parley.engine.CloseReason;
import io.parley.engine.ServerEvent;
import io.parley.engine.SessionHub;
import io.parley.engine.TransportKind;
import io.parley.wire.Decoded;
import io.parley.wire.HttpAccess;
import io.parley.wire.ProtocolCodec;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One WebSocket connection. Helidon calls the upgrade, open and message callbacks of one connection on one
 * thread, one at a time, so commands are handled in the order the client sent them.
 */
final class ConnectionListener implements WsListener {
    /** The listener made for the upgrade running on this thread, for {@link WatchedUpgradeProvider}. */
    private static final ThreadLocal<ConnectionListener> CREATED = new ThreadLocal<>();
    private final SessionHub hub;
    private final HttpAccess access;
    private final ProtocolCodec codec;
    private final int maxMessageBytes;
    private final StringBuilder fragments = new StringBuilder();
    private int fragmentBytes;
    private TokenVerifier.VerifiedToken token;
    private Optional<String> forwardedFor = Optional.empty();
    private Optional<String> userAgent = Optional.empty();
    private ChatSession session;
    private WsSink sink;

    ConnectionListener(SessionHub hub, HttpAccess access, ProtocolCodec codec, int maxMessageBytes) {
        this.hub = hub;
        this.access = access;
        this.codec = codec;
        this.maxMessageBytes = maxMessageBytes;
        CREATED.set(this); // made by the routing's supplier, on the thread that runs the upgrade
    }

    /** @return the listener made for the upgrade that ran on this thread, if any, and forgets it */
    static ConnectionListener takeCreated() {
        ConnectionListener created = CREATED.get();
        CREATED.remove();
        return created;
    }

    /**
     * The connection is being failed below the protocol (a reserved opcode, a frame over the size limit).
     *
     * @param code   the close code sent
     * @param reason a word or two for the connection log
     */
    void transportFailed(int code, String reason) {
        if (session != null) {
            session.transportClosed(code, reason);
        }
    }

    /**
     * The connection's socket is done, however it ended: a session not ended yet (no close frame came, the
     * connection broke) ends now rather than at its next heartbeat.
     */
    void connectionEnded() {
        if (session != null) {
            session.transportClosed();
        }
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        if (!hub.accepting()) {
            refused(503, "unavailable", "server restarting, connect again");
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.SERVICE_UNAVAILABLE_503)
                    .message("server restarting, connect again")
                    .build();
        }
        if (!access.originAllowed(headers.first(HeaderNames.ORIGIN))) {
            refused(403, "forbidden", "origin not allowed (Origin " + headers.first(HeaderNames.ORIGIN).orElse("") + ")");
            throw RequestException.builder()
                    .type(DirectHandler.EventType.FORBIDDEN)
                    .status(Status.FORBIDDEN_403)
                    .message("origin not allowed")
                    .build();
        }
        try {
            token = access.authenticate(headers.first(HeaderNames.AUTHORIZATION),
                    prologue.query().first("access_token").asOptional(),
                    prologue.query().first("ticket").asOptional());
        } catch (ParleyException e) {
            refused(401, "unauthorized", e.getMessage());
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.UNAUTHORIZED_401)
                    .message(e.getMessage())
                    .build();
        }
        if (!hub.admits(token.user().id())) {
            String message = "too many open connections for this user (at most "
                    + hub.settings().maxConnectionsPerUser() + " on this node): close one";
            refused(429, "rate_limited", message);
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.TOO_MANY_REQUESTS_429)
                    .message(message)
                    .build();
        }
        forwardedFor = headers.first(HeaderNames.X_FORWARDED_FOR);
        userAgent = headers.first(HeaderNames.USER_AGENT);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        if (!hub.accepting()) { // upgraded while the drain began
            ws.close(CloseReason.TRY_AGAIN_LATER.code(), CloseReason.TRY_AGAIN_LATER.text());
            return;
        }
        sink = new WsSink(ws);
        SocketAddress remote = ws.socketContext() instanceof ConnectionContext connection
                ? connection.remotePeer().address() : null;
        try {
            session = hub.open(token, TransportKind.WEBSOCKET, sink, access.peer(remote, forwardedFor, userAgent));
        } catch (ParleyException e) { // the per-user limit, reached by a connection upgraded at the same time
            ws.close(CloseReason.RATE_LIMITED.code(), "too many connections");
        }
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        if (session == null) {
            return;
        }
        fragmentBytes += utf8Length(text);
        if (fragmentBytes > maxMessageBytes) {
            fragments.setLength(0);
            session.close(CloseReason.TOO_BIG);
            return;
        }
        if (!last) {
            fragments.append(text);
            return;
        }
        String message = text;
        if (!fragments.isEmpty()) {
            message = fragments.append(text).toString();
            fragments.setLength(0);
        }
        fragmentBytes = 0;
        switch (codec.decode(message)) {
            case Decoded.Command command -> session.handle(command.command());
            case Decoded.Rejected rejected -> session.reject(rejected.error());
        }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        if (session != null && last) {
            session.reject(ServerEvent.Error.of(Optional.empty(), ErrorCode.INVALID,
                    "binary frames are not supported: send JSON text frames"));
        }
    }

    @Override
    public void onPong(WsSession ws, BufferData buffer) {
        if (session != null) {
            session.touch();
            sink.pong(buffer);
        }
    }

    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        if (session != null) {
            session.touch();
        }
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
        if (session != null) {
            session.transportClosed(status, "peer_closed");
        }
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        if (session != null) {
            session.transportClosed();
        }
    }

    /** Before the upgrade Helidon tells the listener nothing of the socket: the client is "-" in the line. */
    private void refused(int status, String reason, String detail) {
        access.refusals().refused(status, reason, "GET", WebSocketTransport.PATH, "-", detail);
    }

    private static int utf8Length(String text) {
        // Upper bound without allocating: at most 3 bytes per UTF-16 char.
        return text.length() * 3 <= 1024 ? text.length() * 3 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}

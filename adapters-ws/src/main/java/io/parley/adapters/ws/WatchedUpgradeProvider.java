package io.parley.adapters.ws;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsConnection;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Helidon's WebSocket upgrade with Parley watching the connection it makes, found by Helidon's service
 * loader ahead of its own provider (a higher weight; Helidon keeps the first upgrader per protocol). Helidon
 * 4.1.2 leaves two things to the application that Parley needs:
 * <ul>
 *   <li>A connection that ends without a close frame (a crashed client, a reset, a lost network) ends its
 *       {@code WsConnection.handle} without telling the listener; the session would stay, and its user
 *       online, until a heartbeat write failed. Here the session learns it at once ({@code 1006}).</li>
 *   <li>A frame with a reserved opcode makes Helidon throw {@link IllegalArgumentException} out of its frame
 *       reader, which its connection handler answers with raw {@code HTTP/1.1 500} bytes written into the
 *       WebSocket stream. RFC 6455 section 5.2 says to fail the connection: here it gets a close frame
 *       {@code 1002} and the socket is closed.</li>
 * </ul>
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class WatchedUpgradeProvider extends WsUpgradeProvider {
    /** Called by the service loader. */
    public WatchedUpgradeProvider() {
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new WatchedUpgrader(config);
    }

    private static final class WatchedUpgrader extends WsUpgrader {
        WatchedUpgrader(WsConfig config) {
            super(config);
        }

        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            ServerConnection connection;
            ConnectionListener listener;
            try {
                connection = super.upgrade(ctx, prologue, headers);
            } finally {
                listener = ConnectionListener.takeCreated();
            }
            return connection instanceof WsConnection ws && listener != null
                    ? new WatchedConnection(ws, listener) : connection;
        }
    }

    private record WatchedConnection(WsConnection ws, ConnectionListener listener) implements ServerConnection {
        @Override
        public void handle(Semaphore requestSemaphore) throws InterruptedException {
            try {
                ws.handle(requestSemaphore);
            } catch (IllegalArgumentException e) {
                // Helidon's WsOpCode.get: the frame header named an opcode RFC 6455 reserves.
                listener.protocolError();
                try {
                    ws.close(CloseCodes.PROTOCOL_ERROR, "reserved opcode");
                } catch (RuntimeException writeFailed) {
                    // the peer is gone already; the socket is closed below either way
                }
                throw new CloseConnectionException("reserved WebSocket opcode");
            } finally {
                listener.connectionEnded();
            }
        }

        @Override
        public Duration idleTime() {
            return ws.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            ws.close(interrupt);
        }
    }

    /** The close codes used here. */
    static final class CloseCodes {
        static final int PROTOCOL_ERROR = 1002;

        private CloseCodes() {
        }
    }
}

package io.parley.adapters.ws;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsConnection;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsCloseException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Helidon's WebSocket upgrade with Parley watching the connection it makes, found by Helidon's service
 * loader ahead of its own provider (a higher weight; Helidon keeps the first upgrader per protocol). Helidon
 * 4.1.2 leaves four things to the application that Parley needs:
 * <ul>
 *   <li>A connection that ends without a close frame (a crashed client, a reset, a lost network) ends its
 *       {@code WsConnection.handle} without telling the listener; the session would stay, and its user
 *       online, until a heartbeat write failed. Here the session learns it at once ({@code 1006}).</li>
 *   <li>A frame with a reserved opcode makes Helidon throw {@link IllegalArgumentException} out of its frame
 *       reader, which its connection handler answers with raw {@code HTTP/1.1 500} bytes written into the
 *       WebSocket stream. RFC 6455 section 5.2 says to fail the connection: here it gets a close frame
 *       {@code 1002} and the socket is closed.</li>
 *   <li>A frame over the size limit gets its {@code 1009} close frame from Helidon as soon as its header is
 *       read, and the socket closed at once, under a peer still writing the frame: the reset makes most
 *       clients (Node {@code ws}, browsers, the JDK's) report 1006. Here the rest is read and dropped until
 *       the peer closes, for 2 s at most.</li>
 *   <li>Text is decoded frame by frame with replacement characters: invalid UTF-8 passes (RFC 6455 says to
 *       fail the connection with 1007), and a character split across the fragments of a message is broken.
 *       Here Helidon reads through {@link Utf8Check}: invalid text gets close 1007 and never reaches the
 *       listener, and a fragmented text message reaches Helidon as one frame.</li>
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
        private final int maxFrameLength;

        WatchedUpgrader(WsConfig config) {
            super(config);
            this.maxFrameLength = config.maxFrameLength();
        }

        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            ServerConnection connection;
            ConnectionListener listener;
            // Helidon's connection reads through the UTF-8 check; the discard below reads the socket's reader.
            ConnectionContext checked = new CheckedContext(ctx,
                    new Utf8Check(ctx.dataReader(), maxFrameLength).reader());
            try {
                connection = super.upgrade(checked, prologue, headers);
            } finally {
                listener = ConnectionListener.takeCreated();
            }
            return connection instanceof WsConnection ws && listener != null
                    ? new WatchedConnection(ws, listener, ctx) : connection;
        }
    }

    private record WatchedConnection(WsConnection ws, ConnectionListener listener, ConnectionContext ctx)
            implements ServerConnection {
        @Override
        public void handle(Semaphore requestSemaphore) throws InterruptedException {
            try {
                ws.handle(requestSemaphore);
            } catch (CloseConnectionException e) {
                if (e.getCause() instanceof WsCloseException refused && refused.closeCode() == CloseCodes.TOO_BIG) {
                    // Helidon sent close 1009 on the frame's header alone; the peer may still be writing it.
                    listener.transportFailed(CloseCodes.TOO_BIG, "too_big");
                    discardUntilThePeerCloses();
                }
                throw e;
            } catch (Utf8Check.InvalidUtf8 e) {
                listener.transportFailed(CloseCodes.INVALID_PAYLOAD, "invalid_payload");
                try {
                    ws.close(CloseCodes.INVALID_PAYLOAD, "text is not valid UTF-8");
                } catch (RuntimeException writeFailed) {
                    // the peer is gone already; the socket is closed below either way
                }
                discardUntilThePeerCloses();
                throw new CloseConnectionException("invalid UTF-8 in a text message");
            } catch (IllegalArgumentException e) {
                // Helidon's WsOpCode.get: the frame header named an opcode RFC 6455 reserves.
                listener.transportFailed(CloseCodes.PROTOCOL_ERROR, "protocol_error");
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

        /**
         * Reads and drops what the peer still sends, until it closes or for {@link #DISCARD_TIME} and
         * {@link #DISCARD_BYTES} at most. Closed at once, the socket would be reset under a peer still
         * writing, and its TCP stack would drop the 1009 close frame unread: the client would see 1006.
         */
        private void discardUntilThePeerCloses() {
            DataReader reader = ctx.dataReader();
            Thread reading = Thread.currentThread();
            Thread timer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(DISCARD_TIME);
                    reading.interrupt(); // a read blocked past the time is ended (the socket with it)
                } catch (InterruptedException done) {
                    // the peer closed first
                }
            });
            long discarded = 0;
            try {
                while (discarded < DISCARD_BYTES && !reading.isInterrupted()) {
                    int available = reader.available();
                    if (available > 0) {
                        reader.skip(available);
                        discarded += available;
                    } else {
                        reader.pullData(); // blocks; the end of the stream ends the loop by an exception
                    }
                }
            } catch (RuntimeException closedResetOrTimedOut) {
                // what was waited for: the socket is closed next either way
            } finally {
                timer.interrupt();
                Thread.interrupted();
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

    /** The connection's context with Helidon's reader replaced by the UTF-8 check's; the rest as it is. */
    private record CheckedContext(ConnectionContext delegate, DataReader reader) implements ConnectionContext {
        @Override
        public ListenerContext listenerContext() {
            return delegate.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return delegate.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return delegate.dataWriter();
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public Router router() {
            return delegate.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return delegate.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return delegate.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return delegate.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return delegate.localPeer();
        }

        @Override
        public boolean isSecure() {
            return delegate.isSecure();
        }

        @Override
        public String socketId() {
            return delegate.socketId();
        }

        @Override
        public String childSocketId() {
            return delegate.childSocketId();
        }
    }

    /** The longest a refused frame's remainder is read and dropped before the socket is closed. */
    static final Duration DISCARD_TIME = Duration.ofSeconds(2);
    /** The most bytes of it read and dropped. */
    static final long DISCARD_BYTES = 64L * 1024 * 1024;

    /** The close codes used here. */
    static final class CloseCodes {
        static final int PROTOCOL_ERROR = 1002;
        static final int INVALID_PAYLOAD = 1007;
        static final int TOO_BIG = 1009;

        private CloseCodes() {
        }
    }
}

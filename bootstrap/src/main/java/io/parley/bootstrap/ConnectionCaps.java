package io.parley.bootstrap;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.parley.engine.TrustedProxies;
import io.parley.wire.RefusalLog;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Caps on connections before any work is done for them: in total, per client address, and new ones per
 * second per address. Helidon 4.1.2 has a total cap ({@code max-tcp-connections}) that drops the socket
 * without a word and nothing per address; 1,500 sockets from one address were all held. This selector
 * wraps Helidon's HTTP/1 selector (it is the listener's first, so every HTTP/1 connection, WebSocket
 * upgrades included, goes through it) and counts each connection for as long as Helidon handles it. One
 * over a cap gets a complete answer and a closed connection, with nothing parsed or authenticated:
 * {@code 503 unavailable} with {@code Retry-After} over the total or the address's cap, {@code 429
 * rate_limited} over the address's rate, and a line in the {@link RefusalLog}.
 *
 * <p>The address is the socket's peer: a connection from a trusted proxy counts toward the total only,
 * since everyone behind the proxy shares its address (the proxy's own limits apply there, e.g. nginx's
 * {@code limit_conn}). A connection is counted when Helidon starts its handler, just after the accept: as
 * the listener's only selector, this one is handed each connection before Helidon reads a byte of it, so a
 * socket that never sends anything counts too (and ends at Helidon's idle timeout). Handlers (one virtual
 * thread each) start in no fixed order, so of connections accepted together over a cap, the one refused is
 * the one whose handler starts last, not necessarily the last accepted. Whoever needs to know when a
 * connection has ended (the {@link RequestDeadlines}, which must not answer a request Helidon already gave
 * up on) is told through {@link #onEnded}.
 */
final class ConnectionCaps implements ServerConnectionSelector {
    /**
     * @param maxConnections       open connections in total; more get 503
     * @param maxPerAddress        open connections from one address; more get 503
     * @param perSecondPerAddress  new connections per second from one address (bursts of twice as many); more get 429
     */
    record Settings(int maxConnections, int maxPerAddress, int perSecondPerAddress) {
        Settings {
            if (maxConnections < 1 || maxPerAddress < 1 || perSecondPerAddress < 1) {
                throw new IllegalArgumentException("connection caps must be positive");
            }
        }
    }

    private final ServerConnectionSelector http1;
    private final Settings settings;
    private final TrustedProxies proxies;
    private final RefusalLog refusals;
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    private volatile Consumer<ConnectionContext> ended = ctx -> { };

    /** One client address: its open connections and its bucket of new ones. Guarded by the map's compute. */
    private static final class Address {
        int open;
        double tokens;
        long refilledAt;
    }

    ConnectionCaps(ServerConnectionSelector http1, Settings settings, TrustedProxies proxies, RefusalLog refusals) {
        this(http1, settings, proxies, refusals, System::nanoTime);
    }

    ConnectionCaps(ServerConnectionSelector http1, Settings settings, TrustedProxies proxies, RefusalLog refusals,
                   LongSupplier nanoTime) {
        this.http1 = http1;
        this.settings = settings;
        this.proxies = proxies;
        this.refusals = refusals;
        this.nanoTime = nanoTime;
    }

    /** Calls {@code listener} with each counted connection's context once Helidon has finished with it. */
    void onEnded(Consumer<ConnectionContext> listener) {
        this.ended = listener;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        String address = address(ctx.remotePeer().address());
        boolean counted = !proxies.trusts(address);
        Optional<Refusal> refusal = admit(counted ? address : null);
        if (refusal.isPresent()) {
            return new Refused(ctx, refusal.get(), address);
        }
        return new Counted(ctx, http1.connection(ctx), counted ? address : null);
    }

    /** @return how many connections are open, from how many addresses (counted per address) */
    int open() {
        return open.get();
    }

    int addresses() {
        return addresses.size();
    }

    /** Forgets addresses with nothing open whose bucket has filled up again (run every few seconds). */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (String address : addresses.keySet()) {
            addresses.computeIfPresent(address, (key, a) -> {
                refill(a, now);
                return a.open == 0 && a.tokens >= burst() ? null : a;
            });
        }
    }

    private enum Refusal {
        TOTAL(503, "unavailable", "the server is at its connection limit; retry shortly"),
        ADDRESS(503, "unavailable", "too many open connections from this address"),
        RATE(429, "rate_limited", "new connections from this address come too fast");

        final int status;
        final String code;
        final String message;
        final byte[] response;

        Refusal(int status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
            byte[] body = ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            this.response = ("HTTP/1.1 " + status + (status == 503 ? " Service Unavailable" : " Too Many Requests")
                    + "\r\nContent-Type: application/json\r\nRetry-After: " + (status == 503 ? 5 : 1)
                    + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n"
                    + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Counts a new connection in, or says which cap it is over (and counts nothing). */
    private Optional<Refusal> admit(String address) {
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            return Optional.of(Refusal.TOTAL);
        }
        if (address == null) {
            return Optional.empty();
        }
        Refusal[] refused = new Refusal[1];
        long now = nanoTime.getAsLong();
        addresses.compute(address, (key, a) -> {
            if (a == null) {
                a = new Address();
                a.tokens = burst();
                a.refilledAt = now;
            }
            refill(a, now);
            if (a.open >= settings.maxPerAddress()) {
                refused[0] = Refusal.ADDRESS;
            } else if (a.tokens < 1) {
                refused[0] = Refusal.RATE;
            } else {
                a.tokens -= 1;
                a.open++;
            }
            return a;
        });
        if (refused[0] != null) {
            open.decrementAndGet();
            return Optional.of(refused[0]);
        }
        return Optional.empty();
    }

    private void release(String address) {
        open.decrementAndGet();
        if (address != null) {
            addresses.computeIfPresent(address, (key, a) -> {
                a.open--;
                return a;
            });
        }
    }

    private double burst() {
        return 2.0 * settings.perSecondPerAddress();
    }

    private void refill(Address a, long now) {
        double elapsed = (now - a.refilledAt) / 1e9;
        if (elapsed > 0) {
            a.tokens = Math.min(burst(), a.tokens + elapsed * settings.perSecondPerAddress());
            a.refilledAt = now;
        }
    }

    private static String address(SocketAddress socket) {
        if (socket instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(socket);
    }

    /** Helidon's connection, counted while it runs. */
    private final class Counted implements ServerConnection {
        private final ConnectionContext ctx;
        private final ServerConnection delegate;
        private final String address;

        Counted(ConnectionContext ctx, ServerConnection delegate, String address) {
            this.ctx = ctx;
            this.delegate = delegate;
            this.address = address;
        }

        @Override
        public void handle(Semaphore requests) throws InterruptedException {
            try {
                delegate.handle(requests);
            } finally {
                release(address);
                ended.accept(ctx);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    /** A connection over a cap: its answer, then Helidon closes the socket. */
    private final class Refused implements ServerConnection {
        private final ConnectionContext ctx;
        private final Refusal refusal;
        private final String address;

        Refused(ConnectionContext ctx, Refusal refusal, String address) {
            this.ctx = ctx;
            this.refusal = refusal;
            this.address = address;
        }

        @Override
        public void handle(Semaphore requests) {
            refusals.refused(refusal.status, refusal.code, "-", "-", address, refusal.message);
            try {
                ctx.dataWriter().writeNow(BufferData.create(refusal.response));
            } catch (RuntimeException gone) {
                // the client is gone already
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            // nothing runs: handle() writes and returns
        }
    }
}

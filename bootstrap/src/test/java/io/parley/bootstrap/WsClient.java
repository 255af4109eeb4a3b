package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) speaking protocol v1 to a test server. Keeps every event it received
 * with its arrival time; {@code expect} consumes them in order of arrival.
 */
final class WsClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<Received> received = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicInteger refs = new AtomicInteger();
    private final boolean autoRequest;
    private WebSocket socket;

    /** An event and the time it arrived ({@link System#nanoTime()}). */
    record Received(JsonNode event, long nanos) {
    }

    private WsClient(boolean autoRequest) {
        this.autoRequest = autoRequest;
    }

    static WsClient connect(URI uri, String token, String origin) {
        return connect(uri, token, origin, true);
    }

    /** With {@code autoRequest} false the client reads nothing until {@link #request} is called. */
    static WsClient connect(URI uri, String token, String origin, boolean autoRequest) {
        return connect(uri, token, origin, autoRequest, false, Map.of());
    }

    /** With extra headers on the upgrade request (those the JDK client lets a caller set). */
    static WsClient connect(URI uri, String token, String origin, Map<String, String> headers) {
        return connect(uri, token, origin, true, false, headers);
    }

    /** Sends the token as {@code Authorization: Bearer} instead of the {@code access_token} parameter. */
    static WsClient connectWithBearerHeader(URI uri, String token, String origin) {
        return connect(uri, token, origin, true, true, Map.of());
    }

    private static WsClient connect(URI uri, String token, String origin, boolean autoRequest, boolean bearer,
                                    Map<String, String> headers) {
        WsClient client = new WsClient(autoRequest);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        if (bearer) {
            builder.header("Authorization", "Bearer " + token);
        }
        URI target = token == null || bearer ? uri : URI.create(uri + "?access_token=" + token);
        try {
            client.socket = builder.buildAsync(target, client.listener()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("connect failed", e.getCause() == null ? e : e.getCause());
        }
        return client;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                if (autoRequest) {
                    webSocket.request(1);
                }
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonNode event = Json.parse(partial.toString());
                    partial.setLength(0);
                    synchronized (received) {
                        received.add(new Received(event, System.nanoTime()));
                        taken.add(false);
                        received.notifyAll();
                    }
                }
                if (autoRequest) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                synchronized (received) {
                    received.notifyAll();
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(1006);
                synchronized (received) {
                    received.notifyAll();
                }
            }
        };
    }

    /** Lets a client created without auto-request read {@code n} more frames, then keep reading. */
    void request(long n) {
        socket.request(n);
    }

    void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** Starts sending a text frame and does not wait: a large one may be cut short by a close. */
    void sendTextNoWait(String text) {
        socket.sendText(text, true);
    }

    /** Sends one fragment of a text message; {@code last} ends the message. */
    void sendFragment(String text, boolean last) {
        socket.sendText(text, last).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
    }

    /** Sends a command with a fresh ref and returns its reply (ack, error or pong). */
    JsonNode command(String type, Object... fields) {
        String ref = "r" + refs.incrementAndGet();
        ObjectNode command = Json.object().put("type", type).put("ref", ref);
        for (int i = 0; i < fields.length; i += 2) {
            command.set((String) fields[i], Json.MAPPER.valueToTree(fields[i + 1]));
        }
        sendRaw(command.toString());
        return expect(e -> ref.equals(e.path("ref").asText(null)));
    }

    /** Sends a command and asserts it was acknowledged. */
    JsonNode ack(String type, Object... fields) {
        JsonNode reply = command(type, fields);
        if (!"ack".equals(reply.path("type").asText())) {
            throw new AssertionError("expected an ack for " + type + ", got " + reply);
        }
        return reply;
    }

    JsonNode expect(String type) {
        return expect(e -> type.equals(e.path("type").asText()));
    }

    JsonNode expect(Predicate<JsonNode> matching) {
        return expectReceived(matching, TIMEOUT).event();
    }

    /** Waits for the first unconsumed event that matches, consumes it and returns it with its arrival time. */
    Received expectReceived(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (int i = 0; i < received.size(); i++) {
                    if (!taken.get(i) && matching.test(received.get(i).event())) {
                        taken.set(i, true);
                        return received.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching event within " + timeout + "; received: " + events());
                }
                try {
                    received.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Returns an unconsumed matching event if one arrives within {@code wait}. */
    Optional<JsonNode> maybe(Predicate<JsonNode> matching, Duration wait) {
        try {
            return Optional.of(expectReceived(matching, wait).event());
        } catch (AssertionError e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until {@code count} events that match have arrived (consumed or not) and returns them with their
     * arrival times, in arrival order.
     */
    List<Received> awaitMatching(Predicate<JsonNode> matching, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> found = new ArrayList<>();
        int scanned = 0;
        synchronized (received) {
            while (true) {
                for (; scanned < received.size(); scanned++) {
                    if (matching.test(received.get(scanned).event())) {
                        found.add(received.get(scanned));
                    }
                }
                if (found.size() >= count) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closeCode.isDone()) {
                    throw new AssertionError("only " + found.size() + " of " + count + " matching events within "
                            + timeout + (closeCode.isDone() ? "; closed with " + closeCode.join() : ""));
                }
                try {
                    received.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** All events received so far. */
    List<JsonNode> events() {
        synchronized (received) {
            return received.stream().map(Received::event).toList();
        }
    }

    /** The durable events ({@code seq} present) received for a room, in arrival order. */
    List<JsonNode> durable(String room) {
        return events().stream()
                .filter(e -> e.has("seq") && room.equals(e.path("room").asText()))
                .toList();
    }

    int awaitClose() {
        try {
            return closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("connection did not close within " + TIMEOUT);
        }
    }

    int awaitClose(Duration timeout) {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("connection did not close within " + timeout);
        }
    }

    boolean isClosed() {
        return closeCode.isDone();
    }

    /** Drops the connection without a close handshake (a crashed client or a lost network). */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(1000, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
        socket.abort();
    }

    /** Runs a connect that must be refused and returns the HTTP status of the refusal. */
    static int refusedStatus(Runnable connect) {
        try {
            connect.run();
        } catch (IllegalStateException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof WebSocketHandshakeException refused) {
                    return refused.getResponse().statusCode();
                }
            }
            throw new AssertionError("refused, but not by the HTTP handshake", e);
        }
        throw new AssertionError("the upgrade was accepted");
    }
}

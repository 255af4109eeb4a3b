package io.parley.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The framework's ceiling: the smallest Helidon WebSocket chat server that does the benchmarked job without
 * Parley. A room is a list of connections; a {@code send} gets the room's next seq, is encoded once as
 * protocol v1's {@code message} event and written to each subscribed connection in turn, then acked to its
 * sender; nothing is stored, nothing is checked (any token is accepted), there is no presence.
 * {@code join}, {@code subscribe} and {@code ping} are answered as Parley answers them, and
 * {@code POST /v1/rooms} hands out room ids, so the load generator drives both servers the same way.
 *
 * <p>{@code --drop-every N} skips every Nth delivery: a deliberately lossy server that the load
 * generator's accounting must catch.
 */
public final class BaselineServer {
    /**
     * Jackson with a shared buffer-recycler pool, as Parley's: its default keeps buffers per thread, about
     * 14 KiB held by every connection's virtual thread, which a careful server on virtual threads avoids.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();
    private static final ObjectMapper JSON = new ObjectMapper(FACTORY);

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final int dropEvery;
    private final WebServer server;

    private BaselineServer(String host, int port, int dropEvery) {
        this.dropEvery = dropEvery;
        this.server = WebServer.builder()
                .host(host)
                .port(port)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r
                        .get("/observe/health/ready", (req, res) -> res.send("UP"))
                        .post("/v1/rooms", (req, res) -> {
                            String id = "r" + ids.incrementAndGet();
                            rooms.put(id, new Room(id));
                            res.status(Status.CREATED_201).header(HeaderNames.CONTENT_TYPE, "application/json")
                                    .send("{\"id\":\"" + id + "\",\"last_seq\":0}");
                        }))
                .addRouting(WsRouting.builder().endpoint("/v1/ws", Peer::new))
                .build()
                .start();
    }

    /**
     * Starts a baseline server.
     *
     * @param host      the address to listen on
     * @param port      the port, 0 for any free one
     * @param dropEvery skip every Nth delivery (0: drop nothing)
     * @return the running server
     */
    public static BaselineServer start(String host, int port, int dropEvery) {
        return new BaselineServer(host, port, dropEvery);
    }

    /** @return the port it listens on */
    public int port() {
        return server.port();
    }

    /** Stops the server. */
    public void stop() {
        server.stop();
    }

    /**
     * {@code BaselineServer [--host H] [--port P] [--drop-every N]}: runs until killed.
     *
     * @param args the options
     */
    public static void main(String[] args) throws InterruptedException {
        LogConfig.configureRuntime();
        String host = "127.0.0.1";
        int port = 8090;
        int drop = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--drop-every" -> drop = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BaselineServer server = start(host, port, drop);
        System.out.println("baseline listening on port " + server.port());
        new CountDownLatch(1).await();
    }

    private final class Room {
        private final String id;
        private final CopyOnWriteArrayList<Peer> subscribers = new CopyOnWriteArrayList<>();
        private long seq;

        private Room(String id) {
            this.id = id;
        }

        /** Gives the message its seq, encodes it once and writes it to every subscriber, in seq order. */
        private synchronized String post(Peer author, String body) {
            long s = ++seq;
            String message = message(id, s, author.user, body);
            String event = "{\"type\":\"message\",\"room\":" + quote(id) + ",\"seq\":" + s + ",\"message\":" + message + "}";
            for (Peer peer : subscribers) {
                if (dropEvery > 0 && deliveries.incrementAndGet() % dropEvery == 0) {
                    continue;
                }
                peer.send(event);
            }
            return message;
        }
    }

    /** One connection. Helidon calls it on the connection's own thread; sends from others are locked. */
    private final class Peer implements WsListener {
        private final String user = "u" + ids.incrementAndGet();
        private final Set<Room> joined = ConcurrentHashMap.newKeySet();
        private WsSession session;

        @Override
        public void onOpen(WsSession session) {
            this.session = session;
            send("{\"type\":\"welcome\",\"user\":\"" + user + "\",\"session\":\"s" + user
                    + "\",\"transport\":\"websocket\",\"heartbeat_ms\":25000,\"resumed\":false}");
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            JsonNode command;
            try {
                command = JSON.readTree(text);
            } catch (IOException e) {
                send("{\"type\":\"error\",\"code\":\"invalid\",\"message\":\"malformed JSON\"}");
                return;
            }
            String ref = command.path("ref").asText("");
            String refField = ref.isEmpty() ? "" : ",\"ref\":" + quote(ref);
            Room room = rooms.get(command.path("room").asText(""));
            switch (command.path("type").asText("")) {
                case "ping" -> send("{\"type\":\"pong\"" + refField + "}");
                case "join" -> send(room == null ? notFound(refField) : "{\"type\":\"ack\"" + refField + "}");
                case "subscribe" -> {
                    if (room == null) {
                        send(notFound(refField));
                        return;
                    }
                    if (joined.add(room)) {
                        room.subscribers.add(this);
                    }
                    send("{\"type\":\"ack\"" + refField + ",\"room\":" + quote(room.id)
                            + ",\"last_seq\":0,\"replayed\":0,\"complete\":true}");
                }
                case "send" -> {
                    if (room == null) {
                        send(notFound(refField));
                        return;
                    }
                    String message = room.post(this, command.path("body").asText(""));
                    send("{\"type\":\"ack\"" + refField + ",\"message\":" + message + "}");
                }
                default -> send("{\"type\":\"error\"" + refField + ",\"code\":\"unknown_type\",\"message\":\"unknown command\"}");
            }
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            send("{\"type\":\"error\",\"code\":\"invalid\",\"message\":\"binary frames are not supported\"}");
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            leaveAll();
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            leaveAll();
        }

        private void leaveAll() {
            for (Room room : joined) {
                room.subscribers.remove(this);
            }
            joined.clear();
        }

        /** Helidon's send is a blocking write and not thread-safe: one writer at a time per connection. */
        private void send(String text) {
            synchronized (this) {
                try {
                    session.send(text, true);
                } catch (UncheckedIOException | IllegalStateException e) {
                    leaveAll();
                }
            }
        }
    }

    private static String notFound(String refField) {
        return "{\"type\":\"error\"" + refField + ",\"code\":\"not_found\",\"message\":\"no such room\"}";
    }

    private String message(String room, long seq, String author, String body) {
        try (StringWriter out = new StringWriter(160); JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", "m" + ids.incrementAndGet());
            g.writeStringField("room", room);
            g.writeNumberField("seq", seq);
            g.writeStringField("author", author);
            g.writeStringField("author_name", author);
            g.writeStringField("body", body);
            g.writeNullField("attachment_url");
            g.writeStringField("sent_at", Instant.now().toString());
            g.writeNullField("edited_at");
            g.writeBooleanField("deleted", false);
            g.writeEndObject();
            g.flush();
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

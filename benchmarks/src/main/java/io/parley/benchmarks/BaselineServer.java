package io.parley.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The framework's ceiling: the smallest Helidon WebSocket chat server that does the benchmarked job without
 * Parley. A room is a list of connections; a {@code send} gets the room's next seq, is encoded once as
 * protocol v1's {@code message} event and written to each subscribed connection in turn, then acked to its
 * sender; nothing is stored, nothing is checked (any token is accepted: its {@code sub} names the user).
 * {@code join}, {@code subscribe} and {@code ping} are answered as Parley answers them, and
 * {@code POST /v1/rooms} hands out room ids, so the load generator drives both servers the same way.
 *
 * <p>Announcements, as protocol v1 makes them: a user's first {@code join} of a room is a
 * {@code member_joined} event (it takes the room's next seq) followed by the joiner's {@code presence},
 * written to every subscriber of the room; a user whose first WebSocket opens is announced {@code online}, and
 * one whose last WebSocket closes {@code offline}, to the subscribers of every room they joined. That is the
 * part of a connect storm that is the protocol's rather than Parley's, so the storm is compared with the
 * framework doing the same job. {@code --no-announce} leaves them out (every join a bare ack), the way the
 * baseline was before 2026-12-07.
 *
 * <p>The HTTP fallbacks do the same job the same way: {@code GET /v1/events} is an SSE stream that opens with a
 * {@code welcome} naming its session, {@code GET /v1/poll} without a cursor opens a long-poll session and with
 * one answers {@code {"events":[…],"cursor":…}} as soon as something is pending (or empty after {@code wait}
 * seconds), and {@code POST /v1/commands?session=…} takes a JSON array of {@code join} and {@code subscribe}.
 * Each event is encoded once, to its text, its UTF-8 bytes and its SSE frame, whichever its members need;
 * an SSE member gets the shared frame written and flushed, a long-poll member gets the shared bytes queued.
 * Nothing is resumable: a poll's cursor is its session, and what it answered is gone. Sessions are never
 * expired and an SSE handler only ends when a write fails: the server lives for one scenario.
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
    private final Map<String, UserState> users = new ConcurrentHashMap<>();
    private final int dropEvery;
    private final boolean announce;
    private final WebServer server;

    private BaselineServer(String host, int port, int dropEvery, boolean announce) {
        this.dropEvery = dropEvery;
        this.announce = announce;
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
                        })
                        .get("/v1/events", this::events)
                        .get("/v1/poll", this::poll)
                        .post("/v1/commands", this::commands))
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
     * @return the running server, announcing joins and presence
     */
    public static BaselineServer start(String host, int port, int dropEvery) {
        return new BaselineServer(host, port, dropEvery, true);
    }

    /**
     * Starts a baseline server.
     *
     * @param host      the address to listen on
     * @param port      the port, 0 for any free one
     * @param dropEvery skip every Nth delivery (0: drop nothing)
     * @param announce  whether joins and presence are announced to the room (class comment)
     * @return the running server
     */
    public static BaselineServer start(String host, int port, int dropEvery, boolean announce) {
        return new BaselineServer(host, port, dropEvery, announce);
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
     * {@code BaselineServer [--host H] [--port P] [--drop-every N] [--no-announce]}: runs until killed.
     *
     * @param args the options
     */
    public static void main(String[] args) throws InterruptedException {
        LogConfig.configureRuntime();
        String host = "127.0.0.1";
        int port = 8090;
        int drop = 0;
        boolean announce = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--drop-every" -> drop = Integer.parseInt(args[++i]);
                case "--no-announce" -> announce = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BaselineServer server = start(host, port, drop, announce);
        System.out.println("baseline listening on port " + server.port());
        new CountDownLatch(1).await();
    }

    private final class Room {
        private final String id;
        private final CopyOnWriteArrayList<Member> subscribers = new CopyOnWriteArrayList<>();
        /** Who has joined: read and written under the room's lock only. */
        private final Set<String> members = new HashSet<>();
        private long seq;

        private Room(String id) {
            this.id = id;
        }

        /** A user's first join: {@code member_joined} with the room's next seq, then their presence. */
        private synchronized void join(String user) {
            if (!announce || !members.add(user)) {
                return;
            }
            users.computeIfAbsent(user, u -> new UserState()).rooms.add(this);
            deliver(new Outgoing("{\"type\":\"member_joined\",\"room\":" + quote(id) + ",\"seq\":" + (++seq)
                    + ",\"user\":" + quote(user) + "}"));
            deliver(presence(user, "online"));
        }

        /** An ephemeral event: no seq, written to every subscriber under the room's lock, in order. */
        private synchronized void announce(Outgoing event) {
            deliver(event);
        }

        private void deliver(Outgoing event) {
            for (Member member : subscribers) {
                member.deliver(event);
            }
        }

        /** Gives the message its seq, encodes it once and writes it to every subscriber, in seq order. */
        private synchronized String post(Peer author, String body) {
            long s = ++seq;
            String message = message(id, s, author.user, body);
            Outgoing event = new Outgoing(
                    "{\"type\":\"message\",\"room\":" + quote(id) + ",\"seq\":" + s + ",\"message\":" + message + "}");
            for (Member member : subscribers) {
                if (dropEvery > 0 && deliveries.incrementAndGet() % dropEvery == 0) {
                    continue;
                }
                member.deliver(event);
            }
            return message;
        }
    }

    /** One event, encoded once: its text (WebSocket), UTF-8 bytes (long-poll) and SSE frame, as needed. */
    private static final class Outgoing {
        private final String text;
        private byte[] utf8;
        private byte[] sse;

        private Outgoing(String text) {
            this.text = text;
        }

        /** Made under the room's lock, before any member sees the array. */
        byte[] utf8() {
            if (utf8 == null) {
                utf8 = text.getBytes(StandardCharsets.UTF_8);
            }
            return utf8;
        }

        byte[] sse() {
            if (sse == null) {
                sse = sseFrame(utf8());
            }
            return sse;
        }
    }

    /** Where a user is a member and how many WebSockets they have open: what presence is announced from. */
    private static final class UserState {
        final Set<Room> rooms = ConcurrentHashMap.newKeySet();
        int sockets;
    }

    /** A user's first WebSocket opened (online) or last one closed (offline): said in each of their rooms. */
    private void socketCounted(String user, int change) {
        if (!announce) {
            return;
        }
        UserState state = users.computeIfAbsent(user, u -> new UserState());
        // Announced under the user's lock, so that a quick close and reopen on two threads cannot reach the
        // room as online after offline. Lock order: user, then room (a join takes the room's only).
        synchronized (state) {
            int before = state.sockets;
            state.sockets += change;
            if ((before == 0) != (state.sockets == 0)) {
                Outgoing event = presence(user, change > 0 ? "online" : "offline");
                for (Room room : state.rooms) {
                    room.announce(event);
                }
            }
        }
    }

    private static Outgoing presence(String user, String status) {
        return new Outgoing("{\"type\":\"presence\",\"user\":" + quote(user) + ",\"status\":\"" + status
                + "\",\"last_seen\":\"" + Instant.now() + "\"}");
    }

    /** The {@code sub} of a bearer token, read without checking anything; a fresh name without one. */
    private String userOf(Optional<String> authorization) {
        String token = authorization.orElse("");
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (token.startsWith("Bearer ") && first > 0 && second > first) {
            try {
                String sub = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(first + 1, second)))
                        .path("sub").asText("");
                if (!sub.isEmpty()) {
                    return sub;
                }
            } catch (IOException | IllegalArgumentException e) {
                // not a JWT: a name of its own, as without a token
            }
        }
        return "u" + ids.incrementAndGet();
    }

    /** A room member: a WebSocket connection, an SSE stream or a long-poll session. */
    private abstract class Member {
        String user;
        final Set<Room> joined = ConcurrentHashMap.newKeySet();

        abstract void deliver(Outgoing event);

        void subscribe(Room room) {
            if (joined.add(room)) {
                room.subscribers.add(this);
            }
        }

        void leaveAll() {
            for (Room room : joined) {
                room.subscribers.remove(this);
            }
            joined.clear();
        }
    }

    /** One connection. Helidon calls it on the connection's own thread; sends from others are locked. */
    private final class Peer extends Member implements WsListener {
        private WsSession session;
        private boolean counted;

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            user = userOf(headers.first(HeaderNames.AUTHORIZATION));
            return Optional.empty();
        }

        @Override
        void deliver(Outgoing event) {
            send(event.text);
        }

        @Override
        public void onOpen(WsSession session) {
            this.session = session;
            if (user == null) {
                user = "u" + ids.incrementAndGet();
            }
            send(welcome(user, "s" + user, "websocket"));
            counted = true;
            socketCounted(user, 1);
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
                case "join" -> {
                    if (room == null) {
                        send(notFound(refField));
                        return;
                    }
                    room.join(user);
                    send("{\"type\":\"ack\"" + refField + "}");
                }
                case "subscribe" -> {
                    if (room == null) {
                        send(notFound(refField));
                        return;
                    }
                    subscribe(room);
                    send(subscribed(refField, room));
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
            gone();
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            gone();
        }

        private void gone() {
            leaveAll();
            synchronized (this) {
                if (!counted) {
                    return;
                }
                counted = false;
            }
            socketCounted(user, -1);
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

    // ---- the HTTP fallbacks ----

    private final Map<String, Member> httpSessions = new ConcurrentHashMap<>();

    /** {@code GET /v1/events}: the welcome, then every event of the rooms subscribed, until a write fails. */
    private void events(ServerRequest req, ServerResponse res) {
        String session = "h" + ids.incrementAndGet();
        res.headers().contentType(MediaTypes.TEXT_EVENT_STREAM);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-cache");
        Stream stream = new Stream(res.outputStream());
        stream.user = userOf(req.headers().first(HeaderNames.AUTHORIZATION));
        httpSessions.put(session, stream);
        try {
            stream.write(sseFrame(welcome(stream.user, session, "sse").getBytes(StandardCharsets.UTF_8)));
            stream.gone.await(); // the handler holds its connection for as long as the stream lasts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            httpSessions.remove(session);
            stream.leaveAll();
        }
    }

    /** {@code GET /v1/poll}: without a cursor a new session's welcome; with one, what is pending. */
    private void poll(ServerRequest req, ServerResponse res) {
        String cursor = req.query().first("cursor").orElse("");
        if (cursor.isEmpty()) {
            String session = "h" + ids.incrementAndGet();
            Poll poll = new Poll();
            poll.user = userOf(req.headers().first(HeaderNames.AUTHORIZATION));
            httpSessions.put(session, poll);
            json(res, 200, pollBody(List.of(welcome(poll.user, session, "long_poll")
                    .getBytes(StandardCharsets.UTF_8)), session));
            return;
        }
        if (!(httpSessions.get(cursor) instanceof Poll poll)) {
            json(res, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such session\"}}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        long waitSeconds = Long.parseLong(req.query().first("wait").orElse("25"));
        try {
            json(res, 200, pollBody(poll.take(TimeUnit.SECONDS.toNanos(waitSeconds)), cursor));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code POST /v1/commands?session=…}: {@code join} and {@code subscribe}, answered as an array. */
    private void commands(ServerRequest req, ServerResponse res) {
        Member member = httpSessions.get(req.query().first("session").orElse(""));
        if (member == null) {
            json(res, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such session\"}}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        StringBuilder replies = new StringBuilder("[");
        try {
            for (JsonNode command : JSON.readTree(req.content().as(String.class))) {
                String ref = command.path("ref").asText("");
                String refField = ref.isEmpty() ? "" : ",\"ref\":" + quote(ref);
                Room room = rooms.get(command.path("room").asText(""));
                if (replies.length() > 1) {
                    replies.append(',');
                }
                if (room == null) {
                    replies.append(notFound(refField));
                } else if (command.path("type").asText("").equals("subscribe")) {
                    member.subscribe(room);
                    replies.append(subscribed(refField, room));
                } else {
                    if (command.path("type").asText("").equals("join")) {
                        room.join(member.user);
                    }
                    replies.append("{\"type\":\"ack\"").append(refField).append('}');
                }
            }
        } catch (IOException e) {
            json(res, 400, "{\"error\":{\"code\":\"invalid\",\"message\":\"malformed JSON\"}}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        json(res, 200, replies.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }

    /** An SSE stream: each event's shared frame written and flushed by the thread that posted it. */
    private final class Stream extends Member {
        private final OutputStream out;
        private final CountDownLatch gone = new CountDownLatch(1);

        private Stream(OutputStream out) {
            this.out = out;
        }

        @Override
        void deliver(Outgoing event) {
            write(event.sse());
        }

        private synchronized void write(byte[] frame) {
            try {
                out.write(frame);
                out.flush();
            } catch (IOException | UncheckedIOException e) {
                leaveAll();
                gone.countDown();
            }
        }
    }

    /** A long-poll session: events' shared bytes queue until a poll takes them. */
    private final class Poll extends Member {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = lock.newCondition();
        private List<byte[]> pending = new ArrayList<>();

        @Override
        void deliver(Outgoing event) {
            lock.lock();
            try {
                pending.add(event.utf8());
                arrived.signal();
            } finally {
                lock.unlock();
            }
        }

        List<byte[]> take(long waitNanos) throws InterruptedException {
            lock.lock();
            try {
                long left = waitNanos;
                while (pending.isEmpty() && left > 0) {
                    left = arrived.awaitNanos(left);
                }
                List<byte[]> taken = pending;
                pending = new ArrayList<>();
                return taken;
            } finally {
                lock.unlock();
            }
        }
    }

    private static byte[] sseFrame(byte[] json) {
        byte[] frame = new byte[6 + json.length + 2];
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, frame, 0, 6);
        System.arraycopy(json, 0, frame, 6, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    private static byte[] pollBody(List<byte[]> events, String cursor) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 + events.size() * 400);
        body.writeBytes("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(events.get(i));
        }
        body.writeBytes(("],\"cursor\":\"" + cursor + "\"}").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static void json(ServerResponse res, int status, byte[] body) {
        res.status(Status.create(status));
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(body);
    }

    private static String welcome(String user, String session, String transport) {
        return "{\"type\":\"welcome\",\"user\":\"" + user + "\",\"session\":\"" + session
                + "\",\"transport\":\"" + transport + "\",\"heartbeat_ms\":25000,\"resumed\":false}";
    }

    private static String subscribed(String refField, Room room) {
        return "{\"type\":\"ack\"" + refField + ",\"room\":" + quote(room.id)
                + ",\"last_seq\":0,\"replayed\":0,\"complete\":true}";
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

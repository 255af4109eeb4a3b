package io.parley.benchmarks;

import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat workload on a {@link WireLoop}: receivers that join and subscribe to a room (WebSocket, SSE or
 * long-poll), publishers that join and {@code send} over WebSocket on an open-loop schedule, and the
 * accounting of every delivery. Message {@code i}'s body carries the marker {@code #i#}; a delivery is
 * found by scanning the raw bytes for it. Callbacks run on the loop thread; the scenario drives it from
 * another thread through the methods that say so.
 */
final class ChatLoad implements WireLoop.Handler {
    private static final Pattern SESSION = Pattern.compile("\"session\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CURSOR = Pattern.compile("\"cursor\"\\s*:\\s*\"([^\"]+)\"");
    private static final byte[] TYPE_MESSAGE = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_ACK = "{\"type\":\"ack\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_ERROR = "{\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CURSOR_FIELD = "\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final long HIGHEST_MICROS = 120_000_000L;
    /** {@code --late-ms}: above it, a first delivery is printed as part of a stall; 0 prints none. */
    static volatile long lateMillis;
    /** How often one client sends a join or subscribe again after {@code unavailable}. */
    private static final int MAX_SETUP_RETRIES = 5;

    /** A connection's role and setup stage. */
    private enum Role { RECEIVER, PUBLISHER }

    private enum Stage { WELCOME, JOINING, SUBSCRIBING, READY }

    private static final class Client {
        final Role role;
        final String user;
        final String token;
        Stage stage = Stage.WELCOME;
        String session;
        int retries;

        Client(Role role, String user, String token) {
            this.role = role;
            this.user = user;
            this.token = token;
        }
    }

    private final Target target;
    private final Target.Tokens tokens;
    private final String[] rooms;
    private final WireLoop loop;
    private final List<WireLoop.Conn> receivers = new ArrayList<>();
    private final List<WireLoop.Conn> publishers = new ArrayList<>();
    private final ExecutorService commandPosts = Executors.newFixedThreadPool(16);
    private final Semaphore postsInFlight = new Semaphore(64);

    // setup, read by other threads
    private volatile int ready;
    private volatile int failed;
    /** Set-up commands answered {@code unavailable} and sent again (the protocol's "retry later"). */
    private volatile int setupRetries;
    private volatile int closed;
    private volatile String firstProblem;
    private List<Client> pendingClients = List.of();
    private int setupBase;
    private int initiated;
    private int toConnect;
    private int maxInFlight;
    private WireLoop.Kind receiverKind;
    private long firstConnectNanos;
    private volatile long lastReadyNanos;

    // the step being measured: loop thread only
    private OpenLoopSchedule schedule;
    private int firstId;
    private int sent;
    private long[] dueAt = new long[0];
    private DeliveryLedger ledger;
    private Histogram deliveryLatency = new Histogram(HIGHEST_MICROS, 3);
    /** Prints stalls when {@link #lateMillis} is set; loop thread only. */
    private final LateDeliveries late;
    /** The messages of the step already counted as late. */
    private BitSet lateSeen = new BitSet();
    private Histogram ackLatency = new Histogram(HIGHEST_MICROS, 3);
    private long errors;
    private long acks;
    private int nextId;
    private final String padding;

    ChatLoad(Target target, String[] rooms, int bodyBytes) {
        this.target = target;
        this.tokens = target.tokens();
        long lateAfter = lateMillis;
        this.late = lateAfter > 0 ? new LateDeliveries(target.name(), lateAfter, System.out) : null;
        this.rooms = rooms.clone();
        this.padding = " " + "x".repeat(Math.max(0, bodyBytes - 12));
        this.loop = WireLoop.start(target.address(), this);
    }

    /**
     * Connects {@code receivers} receivers of {@code kind} (receiver {@code r} in room {@code r % rooms}) and
     * {@code publishers} WebSocket publishers (publisher {@code p} in room {@code p % rooms}), at most
     * {@code inFlight} unfinished set-ups at a time, and waits until every one is ready or failed.
     * Tokens are made before the clock starts. Any thread but the loop's.
     *
     * @return the seconds from the first connect to the last ready
     */
    double connect(WireLoop.Kind kind, int receiverCount, int publisherCount, int inFlight, long timeoutMillis) {
        List<Client> clients = new ArrayList<>(receiverCount + publisherCount);
        int base = receivers.size() + publishers.size();
        for (int i = 0; i < receiverCount + publisherCount; i++) {
            String user = target.name().charAt(0) + "u" + (base + i);
            clients.add(new Client(i < receiverCount ? Role.RECEIVER : Role.PUBLISHER, user, tokens.token(user)));
        }
        int target0 = ready + failed;
        call(() -> {
            this.receiverKind = kind;
            this.pendingClients = clients;
            this.initiated = 0;
            this.toConnect = clients.size();
            this.maxInFlight = inFlight;
            this.setupBase = target0;
            this.firstConnectNanos = System.nanoTime();
            return null;
        });
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (ready + failed - target0 < clients.size() && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
        if (ready + failed - target0 < clients.size()) {
            throw new IllegalStateException(target.name() + ": only " + (ready - target0) + " of " + clients.size()
                    + " connections were ready after " + timeoutMillis + " ms" + problem());
        }
        if (failed > 0) {
            throw new IllegalStateException(target.name() + ": " + failed + " connections failed" + problem());
        }
        if (setupRetries > 0) {
            System.err.println(target.name() + ": " + setupRetries + " set-up commands were answered unavailable"
                    + " and sent again");
        }
        return (lastReadyNanos - firstConnectNanos) / 1e9;
    }

    /** @return the first error or unexpected close seen since the last call, or "" */
    String firstProblem() {
        String p = firstProblem;
        firstProblem = null;
        return p == null ? "" : p;
    }

    private String problem() {
        return firstProblem == null ? "" : " (first problem: " + firstProblem + ")";
    }

    /** @return connections open now */
    int openConnections() {
        return call(() -> (int) (receivers.stream().filter(WireLoop.Conn::open).count()
                + publishers.stream().filter(WireLoop.Conn::open).count()));
    }

    /** @return connections the server closed or that failed since the start */
    int closedConnections() {
        return closed;
    }

    /** Starts a step of {@code count} messages at {@code rate} messages/s, 50 ms from now. Returns its start. */
    long startStep(double rate, int count) {
        return call(() -> {
            firstId = nextId;
            nextId += count;
            sent = 0;
            dueAt = new long[count];
            int[] receiverRooms = new int[receivers.size()];
            for (int r = 0; r < receiverRooms.length; r++) {
                receiverRooms[r] = receivers.get(r).room;
            }
            ledger = new DeliveryLedger(firstId, count, receiverRooms, rooms.length);
            deliveryLatency = new Histogram(HIGHEST_MICROS, 3);
            lateSeen = new BitSet(count);
            ackLatency = new Histogram(HIGHEST_MICROS, 3);
            errors = 0;
            acks = 0;
            long start = System.nanoTime() + 50_000_000L;
            schedule = new OpenLoopSchedule(start, rate, count);
            return start;
        });
    }

    /** The outcome of a step so far. */
    record StepCounts(long expected, long delivered, long duplicates, long errors, long acks, int sent,
                      Histogram latency, Histogram ackLatency) {
        long missing() {
            return expected - delivered;
        }
    }

    /** Waits until the step's schedule is done and every delivery arrived, or {@code drainMillis} passed. */
    StepCounts finishStep(long drainMillis) {
        long end = call(() -> schedule.endNanos());
        sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        long deadline = System.currentTimeMillis() + drainMillis;
        while (true) {
            StepCounts c = counts();
            boolean allSent = c.sent() == call(() -> schedule.count());
            if (allSent && (c.missing() == 0 && c.acks() + c.errors() >= c.sent()) || System.currentTimeMillis() > deadline) {
                if (late != null) {
                    call(() -> {
                        late.flush();
                        return null;
                    });
                }
                return c;
            }
            sleep(5);
        }
    }

    private StepCounts counts() {
        return call(() -> new StepCounts(ledger.expected(), ledger.delivered(), ledger.duplicates(), errors,
                acks, sent, deliveryLatency.copy(), ackLatency.copy()));
    }

    /** Closes every connection with a close frame and stops the loop. */
    void close() {
        call(() -> {
            receivers.forEach(loop::closeGracefully);
            publishers.forEach(loop::closeGracefully);
            return null;
        });
        long deadline = System.currentTimeMillis() + 3000;
        while (openConnections() > 0 && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
        loop.close();
        commandPosts.shutdownNow();
    }

    // ---- loop thread ----

    @Override
    public long tick(long now) {
        while (initiated < toConnect && initiated - (ready + failed - setupBase) < maxInFlight) {
            Client client = pendingClients.get(initiated++);
            boolean receiver = client.role == Role.RECEIVER;
            WireLoop.Kind kind = receiver ? receiverKind : WireLoop.Kind.WEBSOCKET;
            String path = switch (kind) {
                case WEBSOCKET -> "/v1/ws";
                case SSE -> "/v1/events";
                case POLL -> "/v1/poll";
            };
            int index = receiver ? receivers.size() : publishers.size();
            WireLoop.Conn conn = loop.connect(kind, index, path, client.token);
            conn.tag = client;
            conn.room = index % rooms.length;
            (receiver ? receivers : publishers).add(conn);
        }
        if (schedule == null) {
            return now + 10_000_000L;
        }
        int due = schedule.dueBy(now);
        while (sent < due) {
            int id = firstId + sent;
            dueAt[sent] = schedule.dueAt(sent);
            WireLoop.Conn publisher = publishers.get(id % publishers.size());
            ledger.sent(publisher.room);
            sent++;
            loop.sendText(publisher, ("{\"type\":\"send\",\"room\":\"" + rooms[publisher.room] + "\",\"body\":\"#" + id + "#"
                    + padding + "\",\"ref\":\"" + id + "\"}").getBytes(StandardCharsets.US_ASCII));
        }
        if (sent < schedule.count()) {
            return schedule.dueAt(sent);
        }
        return now + 10_000_000L;
    }

    @Override
    public void opened(WireLoop.Conn conn) {
        // the welcome that follows starts the set-up
    }

    @Override
    public void text(WireLoop.Conn conn, byte[] b, int off, int len) {
        Client client = (Client) conn.tag;
        if (client.stage != Stage.READY) {
            setup(conn, client, new String(b, off, len, StandardCharsets.UTF_8));
            if (conn.kind != WireLoop.Kind.POLL) {
                return;
            }
        }
        if (conn.kind == WireLoop.Kind.WEBSOCKET) {
            if (startsWith(b, off, len, TYPE_MESSAGE)) {
                deliveries(conn, b, off, len);
            } else if (startsWith(b, off, len, TYPE_ACK)) {
                int id = marker(b, off, off + len);
                if (id >= 0) {
                    acked(id);
                }
            } else if (startsWith(b, off, len, TYPE_ERROR)) {
                errors++;
                problem(conn, new String(b, off, len, StandardCharsets.UTF_8));
            }
        } else if (conn.kind == WireLoop.Kind.SSE) {
            deliveries(conn, b, off, len);
        } else {
            if (client.stage == Stage.READY || client.stage == Stage.SUBSCRIBING) {
                deliveries(conn, b, off, len);
            }
            String cursor = cursor(b, off, len);
            if (cursor != null) {
                loop.httpGet(conn, "/v1/poll?wait=25&cursor=" + cursor, client.token);
            }
        }
    }

    private void deliveries(WireLoop.Conn conn, byte[] b, int off, int len) {
        if (ledger == null || ((Client) conn.tag).role != Role.RECEIVER) {
            return;
        }
        long now = System.nanoTime();
        int end = off + len;
        long found = nextMarker(b, off, end);
        while (found >= 0) {
            int id = (int) (found >>> 32);
            if (ledger.received(conn.index, id) == DeliveryLedger.Outcome.FIRST) {
                long micros = (now - dueAt[id - firstId]) / 1000;
                deliveryLatency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, micros)));
                if (late != null && late.late(micros) && !lateSeen.get(id - firstId)) {
                    lateSeen.set(id - firstId);
                    late.add(System.currentTimeMillis() - micros / 1000, micros);
                }
            }
            found = nextMarker(b, (int) found, end);
        }
    }

    private void acked(int id) {
        int index = id - firstId;
        if (index >= 0 && index < sent) {
            acks++;
            ackLatency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (System.nanoTime() - dueAt[index]) / 1000)));
        }
    }

    private void setup(WireLoop.Conn conn, Client client, String text) {
        String room = rooms[conn.room];
        if (text.contains("\"type\":\"error\"")) {
            boolean retryable = text.contains("\"code\":\"unavailable\"") && conn.kind == WireLoop.Kind.WEBSOCKET
                    && client.retries < MAX_SETUP_RETRIES
                    && (client.stage == Stage.JOINING || client.stage == Stage.SUBSCRIBING);
            if (!retryable) {
                fail(conn, client, text);
                return;
            }
            // A store that is briefly too slow (a set-up storm on PostgreSQL's pool) says "retry later":
            // a client does, and so does this one, a few times; each retry is counted and reported.
            client.retries++;
            setupRetries++;
            String type = client.stage == Stage.JOINING ? "join" : "subscribe";
            String ref = client.stage == Stage.JOINING ? "j" : "s";
            loop.sendText(conn, ("{\"type\":\"" + type + "\",\"room\":\"" + room + "\",\"ref\":\"" + ref + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        switch (client.stage) {
            case WELCOME -> {
                if (!text.contains("\"type\":\"welcome\"")) {
                    return;
                }
                String join = "{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}";
                String subscribe = "{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s\"}";
                if (conn.kind == WireLoop.Kind.WEBSOCKET) {
                    client.stage = Stage.JOINING;
                    loop.sendText(conn, join.getBytes(StandardCharsets.UTF_8));
                    return;
                }
                Matcher m = SESSION.matcher(text);
                if (!m.find()) {
                    fail(conn, client, "welcome without a session: " + text);
                    return;
                }
                client.session = m.group(1);
                client.stage = Stage.SUBSCRIBING;
                postCommands(conn, client, "[" + join + "," + subscribe + "]");
            }
            case JOINING -> {
                if (text.contains("\"ref\":\"j\"")) {
                    if (client.role == Role.RECEIVER) {
                        client.stage = Stage.SUBSCRIBING;
                        loop.sendText(conn, ("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s\"}")
                                .getBytes(StandardCharsets.UTF_8));
                    } else {
                        ready(client);
                    }
                }
            }
            case SUBSCRIBING -> {
                if (conn.kind == WireLoop.Kind.WEBSOCKET && text.contains("\"ref\":\"s\"")) {
                    ready(client);
                }
            }
            case READY -> {
                // nothing more to set up
            }
        }
    }

    /** SSE and long-poll sessions send their commands by POST, off the loop thread. */
    private void postCommands(WireLoop.Conn conn, Client client, String commands) {
        commandPosts.execute(() -> {
            try {
                postsInFlight.acquire();
                String replies = target.postCommands(tokens, client.user, client.session, commands);
                loop.execute(() -> {
                    if (replies.contains("\"type\":\"error\"")) {
                        fail(conn, client, replies);
                    } else {
                        ready(client);
                    }
                });
            } catch (RuntimeException e) {
                loop.execute(() -> fail(conn, client, e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                postsInFlight.release();
            }
        });
    }

    private void ready(Client client) {
        client.stage = Stage.READY;
        ready++;
        lastReadyNanos = System.nanoTime();
    }

    private void fail(WireLoop.Conn conn, Client client, String why) {
        problem(conn, why);
        if (client.stage != Stage.READY) {
            client.stage = Stage.READY;
            failed++;
        }
    }

    private void problem(WireLoop.Conn conn, String why) {
        if (firstProblem == null) {
            firstProblem = conn.kind + " " + ((Client) conn.tag).user + ": "
                    + (why.length() > 300 ? why.substring(0, 300) + "…" : why);
        }
    }

    @Override
    public void closed(WireLoop.Conn conn, int code, String why) {
        Client client = (Client) conn.tag;
        closed++;
        if (client.stage != Stage.READY) {
            fail(conn, client, "closed during set-up: " + code + " " + why);
        } else if (code != 1000) {
            problem(conn, "closed: " + code + " " + why);
        }
    }

    // ---- helpers ----

    private String cursor(byte[] b, int off, int len) {
        int at = WireLoop.indexOf(b, off, off + len, CURSOR_FIELD);
        if (at < 0) {
            return null;
        }
        int start = at + CURSOR_FIELD.length;
        int stop = indexOf(b, start, off + len, (byte) '"');
        return stop < 0 ? null : new String(b, start, stop - start, StandardCharsets.US_ASCII);
    }

    /** @return the first marker's message id in the bytes, or -1 */
    static int marker(byte[] b, int from, int end) {
        long found = nextMarker(b, from, end);
        return found < 0 ? -1 : (int) (found >>> 32);
    }

    /**
     * Finds the next {@code #<digits>#} marker from {@code from}.
     *
     * @return -1, or the message id in the high 32 bits and the index after the marker in the low 32
     */
    private static long nextMarker(byte[] b, int from, int end) {
        int hash = indexOf(b, from, end, (byte) '#');
        while (hash >= 0) {
            int id = 0;
            int i = hash + 1;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                id = id * 10 + (b[i] - '0');
                i++;
            }
            if (i < end && b[i] == '#' && i > hash + 1) {
                return ((long) id << 32) | (i + 1);
            }
            hash = indexOf(b, i, end, (byte) '#');
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, int end, byte what) {
        for (int i = from; i < end; i++) {
            if (b[i] == what) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private <T> T call(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.join();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

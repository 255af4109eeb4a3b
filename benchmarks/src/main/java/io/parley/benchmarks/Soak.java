package io.parley.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak: many connections for many minutes while others come and go, to find what a server keeps that it
 * should have let go. Stable WebSocket receivers (checked for every delivery, minute by minute, as in the
 * fan-out rows) sit in rooms fed by publishers; beside them, churn slots each run connect → welcome → join →
 * subscribe → send (acked) → close, over and over, each time as a new user. Every minute the server's RSS
 * and live heap (after a forced collection) are read. At the end every client leaves, and the server's live
 * Parley objects are counted by class ({@code GC.class_histogram}) and compared with the count before the
 * first client came: sessions, subscriptions, presence entries, rate buckets that outlived their clients show
 * up there, and its {@code parley_connections} gauges must be back to zero.
 */
final class Soak {
    /** The live heap's growth after minute 2 that still counts as flat. */
    static final double FLAT = 0.10;
    /** Growth in live instances of a class that the soak reports. */
    static final int NOTICED = 20;
    private static final Pattern CONNECTIONS = Pattern.compile("(?m)^parley_connections\\{[^}]*} ([0-9.E+]+)");

    /**
     * What to run.
     *
     * @param minutes     measured minutes
     * @param connections connections in all: stable receivers, publishers and churn slots
     * @param churnSlots  connections that come and go
     * @param rooms       rooms they spread over
     * @param publishers  publishers (stable)
     * @param messagesPerSecond publishers' messages per second, in all
     * @param holdMillis  how long a churn connection stays after its send is acked
     * @param settleSeconds how long to wait after every client left before counting what the server kept
     */
    record Plan(int minutes, int connections, int churnSlots, int rooms, int publishers, double messagesPerSecond,
                long holdMillis, int settleSeconds) {
        int receivers() {
            return connections - churnSlots - publishers;
        }
    }

    /** One measured minute. */
    record Minute(int minute, Scenarios.Window window, long rssKib, Optional<Long> liveHeapBytes, long cycles,
                  long churnFailures) {
    }

    /**
     * The soak's outcome.
     *
     * @param plan          what ran
     * @param minutes       each minute
     * @param beforeClients live Parley objects by class before any client connected
     * @param afterClients  the same after every client left
     * @param openGauges    {@code parley_connections} summed over transports after every client left
     * @param firstChurnProblem the first churn failure, or ""
     */
    record Outcome(Plan plan, List<Minute> minutes, Map<String, Long> beforeClients, Map<String, Long> afterClients,
                   double openGauges, String firstChurnProblem) {
        /**
         * @return classes with at least {@link #NOTICED} more live instances after the clients left than before
         *         they came (fewer is a lambda or a constant created on first use, not state per client)
         */
        Map<String, long[]> leftBehind() {
            Map<String, long[]> grown = new TreeMap<>();
            afterClients.forEach((name, after) -> {
                long before = beforeClients.getOrDefault(name, 0L);
                if (after - before >= NOTICED) {
                    grown.put(name, new long[] {before, after});
                }
            });
            return grown;
        }

        long lost() {
            return minutes.stream().mapToLong(m -> m.window().lost() + m.window().duplicates()
                    + m.window().errors() + m.window().closed()).sum();
        }

        /**
         * @return the live heap's growth from the end of minute 2 (set-up done, the JIT and caches warm) to the
         *         end of the last minute, as a share of the former; empty with fewer than 3 minutes
         */
        Optional<Double> heapGrowth() {
            if (minutes.size() < 3 || minutes.get(1).liveHeapBytes().isEmpty()
                    || minutes.getLast().liveHeapBytes().isEmpty()) {
                return Optional.empty();
            }
            double early = minutes.get(1).liveHeapBytes().get();
            return Optional.of(minutes.getLast().liveHeapBytes().get() / early - 1);
        }

        /** @return whether the live heap stayed flat: at most {@link #FLAT} growth after minute 2 */
        boolean heapFlat() {
            return heapGrowth().map(g -> g <= FLAT).orElse(true);
        }

        long churnFailures() {
            return minutes.isEmpty() ? 0 : minutes.getLast().churnFailures();
        }
    }

    private Soak() {
    }

    static Outcome run(Scenarios scenarios, Target target, Plan plan) {
        long pid = target.pid().orElseThrow(() -> new IllegalArgumentException("the soak needs the server's --pid"));
        String[] rooms = Scenarios.rooms(target, plan.rooms());
        Map<String, Long> before = parleyObjects(pid);
        List<Minute> minutes = new ArrayList<>();
        ChatLoad load = new ChatLoad(target, rooms, 32);
        Churn churn = null;
        String churnProblem;
        try {
            // 50 set-ups in flight, not 200: with the PostgreSQL store (pool of 10, 2 s to get a connection), a
            // storm of 200 new users at once had 6 of 9,900 joins answered `unavailable`.
            load.connect(WireLoop.Kind.WEBSOCKET, plan.receivers(), plan.publishers(), 50, 600_000);
            churn = Churn.start(target, rooms, plan.churnSlots(), plan.holdMillis());
            for (int m = 1; m <= plan.minutes(); m++) {
                Scenarios.Window w = scenarios.step(target, load, plan.messagesPerSecond(), 60);
                Optional<Long> heap = target.liveHeapBytes();
                Minute minute = new Minute(m, w, ProcStats.rssKib(pid), heap, churn.cycles(), churn.failures());
                minutes.add(minute);
                System.out.printf("   minute %2d: %s, delivered %d, p99 %.1f ms, rss %d MiB, live heap %s MiB, "
                                + "churn cycles %d (failed %d), steal %.1f%%%n", m, w.verdict(), w.delivered(),
                        w.latency().p99(), minute.rssKib() / 1024,
                        heap.map(h -> Long.toString(h >> 20)).orElse("-"), minute.cycles(), minute.churnFailures(),
                        w.steal() * 100);
            }
        } finally {
            churnProblem = churn == null ? "" : churn.stop();
            load.close();
        }
        // Closes reach the server, sessions end, presence goes offline; rate buckets idle for a minute are
        // forgotten on the next minute's sweep: wait for all of that before counting what is left.
        ChatLoad.sleep(plan.settleSeconds() * 1000L);
        Map<String, Long> after = parleyObjects(pid);
        return new Outcome(plan, minutes, before, after, openConnections(target), churnProblem);
    }

    private static Map<String, Long> parleyObjects(long pid) {
        return ProcStats.classHistogram(pid).map(h -> ProcStats.parseInstances(h, "io.parley."))
                .orElseThrow(() -> new IllegalStateException("jcmd could not read the server's class histogram"));
    }

    private static double openConnections(Target target) {
        try {
            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + target.host() + ":" + target.port() + "/observe/metrics"))
                    .header("Accept", "text/plain").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double open = 0;
            Matcher m = CONNECTIONS.matcher(res.body());
            while (m.find()) {
                open += Double.parseDouble(m.group(1));
            }
            return open;
        } catch (Exception e) {
            throw new IllegalStateException("reading the server's metrics: " + e, e);
        }
    }

    /** Prints the outcome as the markdown that docs/benchmarks.md quotes. */
    static String markdown(Outcome o) {
        StringBuilder md = new StringBuilder();
        Plan p = o.plan();
        md.append(String.format("%,d connections (%,d receivers, %d publishers, %d churn slots) over %d rooms, "
                        + "%.0f messages/s, %d minutes%n%n", p.connections(), p.receivers(), p.publishers(),
                p.churnSlots(), p.rooms(), p.messagesPerSecond(), p.minutes()));
        md.append("| minute | deliveries | lost/dup/err/closed | p99 ms | RSS MiB | live heap MiB | churn cycles | churn failures | steal |\n");
        md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Minute m : o.minutes()) {
            Scenarios.Window w = m.window();
            md.append(String.format("| %d | %,d | %d/%d/%d/%d | %.1f | %d | %s | %,d | %d | %.1f %% |%n", m.minute(),
                    w.delivered(), w.lost(), w.duplicates(), w.errors(), w.closed(), w.latency().p99(),
                    m.rssKib() / 1024, m.liveHeapBytes().map(h -> Long.toString(h >> 20)).orElse("-"), m.cycles(),
                    m.churnFailures(), w.steal() * 100));
        }
        md.append(String.format("%nLive heap from minute 2 to minute %d: %s (flat: at most +%.0f %%)%n",
                o.minutes().size(), o.heapGrowth().map(g -> String.format("%+.1f %%", g * 100)).orElse("-"),
                FLAT * 100));
        md.append(String.format("%nAfter every client left: `parley_connections` %.0f; Parley classes with more live "
                + "instances (%d or more) than before the first client: %s%n", o.openGauges(), NOTICED,
                o.leftBehind().isEmpty() ? "none" : describe(o.leftBehind())));
        if (!o.firstChurnProblem().isEmpty()) {
            md.append("First churn failure: ").append(o.firstChurnProblem()).append('\n');
        }
        return md.toString();
    }

    private static String describe(Map<String, long[]> grown) {
        StringBuilder s = new StringBuilder();
        grown.forEach((name, counts) -> s.append(s.isEmpty() ? "" : ", ").append('`').append(name).append("` ")
                .append(counts[0]).append(" → ").append(counts[1]));
        return s.toString();
    }

    /**
     * Churn slots on a loop of their own: each connects as a new user, joins and subscribes to a room, sends
     * one message, waits for its ack, holds the connection a while and closes it, then starts again.
     */
    static final class Churn implements WireLoop.Handler {
        private enum Stage { IDLE, WELCOME, JOINING, SUBSCRIBING, SENDING, HOLDING, CLOSING }

        private static final class Slot {
            final int index;
            Stage stage = Stage.IDLE;
            long nextAt;
            long startedAt;
            WireLoop.Conn conn;

            Slot(int index, long nextAt) {
                this.index = index;
                this.nextAt = nextAt;
            }
        }

        private static final long SETUP_TIMEOUT = 30_000_000_000L;

        private final Target.Tokens tokens;
        private final String[] rooms;
        private final long holdNanos;
        private final Slot[] slots;
        private final WireLoop loop;
        private volatile long cycles;
        private volatile long failures;
        private volatile boolean stopping;
        private volatile String firstProblem = "";
        private long started;

        private Churn(Target target, String[] rooms, int slotCount, long holdMillis) {
            this.tokens = target.tokens();
            this.rooms = rooms;
            this.holdNanos = holdMillis * 1_000_000L;
            this.slots = new Slot[slotCount];
            long now = System.nanoTime();
            for (int i = 0; i < slotCount; i++) {
                slots[i] = new Slot(i, now + i * 10_000_000L); // spread the first connects over slots × 10 ms
            }
            this.loop = WireLoop.start(target.address(), this);
        }

        static Churn start(Target target, String[] rooms, int slots, long holdMillis) {
            return new Churn(target, rooms, slots, holdMillis);
        }

        long cycles() {
            return cycles;
        }

        long failures() {
            return failures;
        }

        /** Closes every slot's connection and stops the loop; returns the first problem seen, or "". */
        String stop() {
            stopping = true;
            loop.execute(() -> {
                for (Slot s : slots) {
                    if (s.conn != null && s.conn.open()) {
                        s.stage = Stage.CLOSING;
                        loop.closeGracefully(s.conn);
                    }
                }
            });
            ChatLoad.sleep(3_000);
            loop.close();
            return firstProblem;
        }

        @Override
        public long tick(long now) {
            long next = now + 10_000_000L;
            for (Slot s : slots) {
                if (stopping) {
                    break;
                }
                if (s.stage == Stage.IDLE && now >= s.nextAt) {
                    long n = started++;
                    String user = "soak-churn-" + n;
                    s.stage = Stage.WELCOME;
                    s.startedAt = now;
                    s.conn = loop.connect(WireLoop.Kind.WEBSOCKET, s.index, "/v1/ws", tokens.token(user));
                    s.conn.tag = s;
                    s.conn.room = (int) (n % rooms.length);
                } else if (s.stage == Stage.HOLDING && now >= s.nextAt) {
                    s.stage = Stage.CLOSING;
                    loop.closeGracefully(s.conn);
                } else if (s.stage.compareTo(Stage.HOLDING) < 0 && s.stage != Stage.IDLE
                        && now - s.startedAt > SETUP_TIMEOUT) {
                    fail(s, "no reply within 30 s in stage " + s.stage);
                    loop.drop(s.conn);
                }
                if (s.stage == Stage.IDLE || s.stage == Stage.HOLDING) {
                    next = Math.min(next, s.nextAt);
                }
            }
            return Math.max(now + 1_000_000L, next);
        }

        @Override
        public void opened(WireLoop.Conn conn) {
            // the welcome follows
        }

        @Override
        public void text(WireLoop.Conn conn, byte[] b, int off, int len) {
            Slot s = (Slot) conn.tag;
            String text = new String(b, off, len, StandardCharsets.UTF_8);
            if (text.startsWith("{\"type\":\"error\"")) {
                fail(s, text);
                loop.drop(conn);
                return;
            }
            String room = rooms[conn.room];
            switch (s.stage) {
                case WELCOME -> {
                    if (text.contains("\"type\":\"welcome\"")) {
                        s.stage = Stage.JOINING;
                        send(conn, "{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");
                    }
                }
                case JOINING -> {
                    if (text.contains("\"ref\":\"j\"")) {
                        s.stage = Stage.SUBSCRIBING;
                        send(conn, "{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s\"}");
                    }
                }
                case SUBSCRIBING -> {
                    if (text.contains("\"ref\":\"s\"")) {
                        s.stage = Stage.SENDING;
                        send(conn, "{\"type\":\"send\",\"room\":\"" + room + "\",\"body\":\"churn\",\"ref\":\"m\"}");
                    }
                }
                case SENDING -> {
                    if (text.startsWith("{\"type\":\"ack\"") && text.contains("\"ref\":\"m\"")) {
                        s.stage = Stage.HOLDING;
                        s.nextAt = System.nanoTime() + holdNanos;
                    }
                }
                default -> {
                    // room traffic while holding or closing
                }
            }
        }

        private void send(WireLoop.Conn conn, String command) {
            loop.sendText(conn, command.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void closed(WireLoop.Conn conn, int code, String why) {
            Slot s = (Slot) conn.tag;
            s.conn = null;
            if (s.stage == Stage.IDLE) {
                return; // dropped after a failure, which set when the slot starts again
            }
            if (s.stage == Stage.CLOSING) {
                cycles++;
                s.stage = Stage.IDLE;
                s.nextAt = System.nanoTime();
            } else {
                fail(s, "closed by the server in stage " + s.stage + ": " + code + " " + why);
            }
        }

        private void fail(Slot s, String why) {
            if (stopping) {
                return;
            }
            failures++;
            if (firstProblem.isEmpty()) {
                firstProblem = why.length() > 300 ? why.substring(0, 300) + "…" : why;
            }
            s.stage = Stage.IDLE;
            s.nextAt = System.nanoTime() + 1_000_000_000L;
        }
    }
}

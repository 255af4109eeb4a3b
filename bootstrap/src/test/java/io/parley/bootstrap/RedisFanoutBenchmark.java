package io.parley.bootstrap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.parley.testservices.TestRedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cross-node delivery through Redis against a single node: latency (p50/p99, from the sender's send to the
 * receiver's WebSocket frame, at a steady rate), throughput (messages per second reaching one receiver while
 * several senders keep a window of sends in flight) and Redis commands per message (from
 * {@code INFO commandstats} before and after the throughput run). Real servers and real WebSocket clients in
 * one JVM, on loopback. Not a test: surefire does not pick it up. Run it with
 * <pre>
 * PARLEY_TEST_REDIS_URI=redis://127.0.0.1:6379 ./mvnw -q -B -pl bootstrap test-compile exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=io.parley.bootstrap.RedisFanoutBenchmark
 * </pre>
 * System properties: {@code bench.messages} (latency run, default 3000), {@code bench.rate} (messages per
 * second in the latency run, default 500), {@code bench.seconds} (throughput run, default 10),
 * {@code bench.senders} (default 8), {@code bench.window} (sends in flight per sender, default 16).
 */
public final class RedisFanoutBenchmark {
    private static final Pattern SENT_AT = Pattern.compile("\"body\":\"t=(\\d+)\"");
    private static final Pattern CALLS = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

    private RedisFanoutBenchmark() {
    }

    /**
     * @param args ignored; see the class comment for the system properties
     * @throws Exception when the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("bench.messages", 3000);
        int rate = Integer.getInteger("bench.rate", 500);
        Duration seconds = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
        int senders = Integer.getInteger("bench.senders", 8);
        int window = Integer.getInteger("bench.window", 16);
        String redisUri = TestRedis.uri();
        System.out.printf(Locale.ROOT, "Redis fan-out benchmark: Redis %s (%s); latency: %d messages at %d/s; "
                + "throughput: %d s, %d senders x %d in flight%n", redisUri, TestRedis.source(), messages, rate,
                seconds.toSeconds(), senders, window);
        System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s %12s %14s%n", "setup", "p50 ms", "p99 ms", "max ms",
                "messages/s", "redis cmds/msg");
        String scope = UUID.randomUUID().toString().substring(0, 8);
        try (TestServer single = TestServer.start(config("single-" + scope, Map.of()))) {
            // The first run warms the JIT up; it is printed, but compare the later ones.
            run("warm-up (memory fan-out)", single, single, messages, rate, seconds, senders, window, null);
            run("single node (memory fan-out)", single, single, messages, rate, seconds, senders, window, null);
        }
        Map<String, String> redis = Map.of("parley.fanout.kind", "redis", "parley.fanout.redis.uri", redisUri,
                "parley.fanout.redis.namespace", "bench-" + scope);
        RedisClient stats = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> info = stats.connect();
             TestServer a = TestServer.start(config("redis-" + scope, redis));
             TestServer b = TestServer.start(config("redis-" + scope, redis))) {
            run("single node (Redis fan-out)", a, a, messages, rate, seconds, senders, window, info);
            run("cross node (Redis fan-out)", a, b, messages, rate, seconds, senders, window, info);
        } finally {
            stats.shutdown();
        }
        System.exit(0);
    }

    private static Map<String, String> config(String store, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("parley.store.memory.shared-name", store);
        config.put("parley.sessions.commands-per-second", "1000000");
        config.put("parley.sessions.command-burst", "1000000");
        config.put("parley.sessions.queue-capacity", "1000000");
        return config;
    }

    private static void run(String name, TestServer sending, TestServer receiving, int messages, int rate,
                            Duration seconds, int senders, int window,
                            StatefulRedisConnection<String, String> info) throws InterruptedException {
        String room = sending.createRoom("sender0", "bench", "open");
        Client receiver = Client.connect(receiving, "receiver", 1);
        receiver.command("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");
        receiver.command("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s\"}");
        // Latency: one sender at a steady rate; warm up first.
        Client sender = Client.connect(sending, "sender0", 1_000_000);
        pace(sender, room, messages / 3, rate);
        receiver.awaitMessages(messages / 3);
        receiver.reset();
        pace(sender, room, messages, rate);
        receiver.awaitMessages(messages);
        long[] latencies = receiver.latencies();
        sender.close();
        // Throughput: several senders, each with a window of sends in flight.
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Client client = Client.connect(sending, "sender" + i, window);
            client.command("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");
            clients.add(client);
        }
        receiver.reset();
        Map<String, Long> before = info == null ? Map.of() : commandStats(info);
        long deadline = System.nanoTime() + seconds.toNanos();
        List<Thread> threads = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        for (Client client : clients) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline) {
                    client.send(room);
                    sent.incrementAndGet();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        receiver.awaitMessages(sent.get());
        double perSecond = sent.get() / (receiver.lastArrival() - receiver.firstArrival()) * 1e9;
        String perMessage = "-";
        if (info != null) {
            Map<String, Long> after = commandStats(info);
            long commands = after.entrySet().stream()
                    .filter(e -> !e.getKey().equals("info"))
                    .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
            perMessage = String.format(Locale.ROOT, "%.2f", (double) commands / sent.get());
        }
        clients.forEach(Client::close);
        receiver.close();
        System.out.printf(Locale.ROOT, "%-28s %8.2f %8.2f %8.2f %12.0f %14s%n", name, percentile(latencies, 50),
                percentile(latencies, 99), percentile(latencies, 100), perSecond, perMessage);
    }

    private static void pace(Client sender, String room, int count, int rate) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            sender.send(room);
            next += interval;
        }
    }

    private static Map<String, Long> commandStats(StatefulRedisConnection<String, String> info) {
        Map<String, Long> calls = new HashMap<>();
        Matcher m = CALLS.matcher(info.sync().info("commandstats"));
        while (m.find()) {
            calls.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return calls;
    }

    private static double percentile(long[] nanos, int p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** A bare WebSocket client: counts acks for its send window and timestamps received messages. */
    private static final class Client implements WebSocket.Listener {
        private final Semaphore window;
        private final StringBuilder partial = new StringBuilder();
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final AtomicLong received = new AtomicLong();
        private volatile long first;
        private volatile long last;
        private WebSocket socket;

        private Client(int window) {
            this.window = new Semaphore(window);
        }

        static Client connect(TestServer server, String user, int window) {
            Client client = new Client(window);
            client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Origin", TestServer.ORIGIN)
                    .buildAsync(URI.create(server.ws() + "?access_token=" + server.token(user)), client)
                    .join();
            return client;
        }

        void command(String json) throws InterruptedException {
            window.acquire();
            socket.sendText(json, true).join();
            window.acquire(); // the reply gave the permit back
            window.release();
        }

        void send(String room) {
            window.acquireUninterruptibly();
            synchronized (this) {
                socket.sendText("{\"type\":\"send\",\"room\":\"" + room + "\",\"body\":\"t=" + System.nanoTime()
                        + "\",\"ref\":\"x\"}", true).join();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean isLast) {
            partial.append(data);
            if (isLast) {
                String text = partial.toString();
                partial.setLength(0);
                long now = System.nanoTime();
                if (text.contains("\"type\":\"ack\"") || text.contains("\"type\":\"error\"")) {
                    window.release();
                } else if (text.contains("\"type\":\"message\"")) {
                    Matcher m = SENT_AT.matcher(text);
                    if (m.find()) {
                        latencies.add(now - Long.parseLong(m.group(1)));
                    }
                    if (received.incrementAndGet() == 1) {
                        first = now;
                    }
                    last = now;
                    synchronized (this) {
                        notifyAll();
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        synchronized void awaitMessages(long count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("received " + received.get() + " of " + count);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        void reset() {
            latencies.clear();
            received.set(0);
        }

        long[] latencies() {
            return latencies.stream().mapToLong(Long::longValue).toArray();
        }

        double firstArrival() {
            return first;
        }

        double lastArrival() {
            return last;
        }

        void close() {
            socket.abort();
        }
    }
}

package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for {@code /v1/events} over the JDK HTTP client: parses the stream as a
 * browser does and keeps the last {@code id:} (what the browser would send as {@code Last-Event-ID}).
 */
final class SseStream implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HttpResponse<Stream<String>> response;
    private final List<JsonNode> events = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private int consumed;
    private Optional<String> lastId = Optional.empty();
    private volatile boolean ended;

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread.ofVirtual().start(this::read);
        }
    }

    static SseStream open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            return new SseStream(HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot open " + uri, e);
        }
    }

    int status() {
        return response.statusCode();
    }

    synchronized Optional<String> lastEventId() {
        return lastId;
    }

    private void read() {
        String id = null;
        String name = "message";
        String data = null;
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data != null) {
                        add(id, name, data);
                    }
                    id = null;
                    name = "message";
                    data = null;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
        } catch (RuntimeException e) {
            // closed
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private synchronized void add(String id, String name, String data) {
        if (id != null) {
            lastId = Optional.of(id);
        }
        events.add(Json.parse(data));
        names.add(name);
        notifyAll();
    }

    /** Waits for the next protocol event (in order) that matches, skipping others. */
    synchronized JsonNode expect(Predicate<JsonNode> matching) {
        return expectNamed("message", matching);
    }

    /** Waits for the server's {@code close} event (a named event, unseen by {@code onmessage}). */
    JsonNode expectClose() {
        return expectNamed("close", e -> true);
    }

    private synchronized JsonNode expectNamed(String eventName, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            while (consumed < events.size()) {
                JsonNode event = events.get(consumed);
                String name = names.get(consumed++);
                if (name.equals(eventName) && matching.test(event)) {
                    return event;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended) {
                throw new AssertionError("no matching event; received " + events);
            }
            try {
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** @return whether the server ended the stream (or it broke) */
    synchronized boolean ended() {
        return ended;
    }

    JsonNode expect(String type) {
        return expect(e -> e.path("type").asText().equals(type));
    }

    /** @return the seqs of the {@code message} events received so far, in arrival order */
    synchronized List<Long> messageSeqs() {
        return events.stream().filter(e -> e.path("type").asText().equals("message"))
                .map(e -> e.get("seq").asLong()).toList();
    }

    @Override
    public void close() {
        if (response.statusCode() == 200) {
            response.body().close();
        }
    }
}

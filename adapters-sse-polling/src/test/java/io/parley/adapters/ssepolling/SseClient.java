package io.parley.adapters.ssepolling;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client over the JDK HTTP client, parsing the stream as a browser does: events with
 * their {@code id:}, {@code event:} and {@code data:}, and comment lines with their arrival time.
 */
final class SseClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One event as the browser dispatches it. */
    record Event(Optional<String> id, String name, String data, long atNanos) {
        JsonNode json() {
            return Json.parse(data);
        }

        String type() {
            return json().path("type").asText();
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final List<Event> events = new ArrayList<>();
    private final List<Long> comments = new ArrayList<>();
    private final List<Long> retries = new ArrayList<>();
    private volatile boolean ended;
    private final java.util.Set<Integer> consumed = new java.util.HashSet<>();
    private Optional<String> lastId = Optional.empty();

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread.ofVirtual().start(this::read);
        }
    }

    /** Opens {@code /v1/events} with these extra headers (e.g. {@code Last-Event-ID}, {@code Origin}). */
    static SseClient open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            return new SseClient(HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot open " + uri, e);
        }
    }

    int status() {
        return response.statusCode();
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The body of a refused request. */
    JsonNode errorBody() {
        return Json.parse(String.join("\n", response.body().toList()));
    }

    private void read() {
        Optional<String> id = Optional.empty();
        String name = "message";
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                long at = System.nanoTime();
                if (line.isEmpty()) {
                    if (data != null) {
                        add(new Event(id, name, data.toString(), at));
                    }
                    id = Optional.empty();
                    name = "message";
                    data = null;
                } else if (line.startsWith(":")) {
                    synchronized (events) {
                        comments.add(at);
                        events.notifyAll();
                    }
                } else if (line.startsWith("id: ")) {
                    id = Optional.of(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("retry: ")) {
                    synchronized (events) {
                        retries.add(Long.parseLong(line.substring(7)));
                    }
                } else if (line.startsWith("data: ")) {
                    String value = line.substring(6);
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed
        } finally {
            ended = true;
            synchronized (events) {
                events.notifyAll();
            }
        }
    }

    private void add(Event event) {
        synchronized (events) {
            events.add(event);
            if (event.id().isPresent()) {
                lastId = event.id();
            }
            events.notifyAll();
        }
    }

    /** @return the id the browser would send as {@code Last-Event-ID} now */
    Optional<String> lastEventId() {
        synchronized (events) {
            return lastId;
        }
    }

    /** Waits for the next unconsumed event that matches, skipping (but keeping) others. */
    Event next(Predicate<Event> matching) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (events) {
            while (true) {
                for (int i = 0; i < events.size(); i++) {
                    Event event = events.get(i);
                    if (!consumed.contains(i) && matching.test(event)) {
                        consumed.add(i);
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("no matching event within " + TIMEOUT + (ended ? " (stream ended)" : "")
                            + "; received: " + events);
                }
                waitFor(left);
            }
        }
    }

    /** Waits for the next protocol event of this type. */
    Event next(String type) {
        return next(e -> e.name().equals("message") && e.type().equals(type));
    }

    /** @return every protocol event (no {@code event:} name) received so far, consumed or not, in arrival order */
    List<Event> received() {
        synchronized (events) {
            return events.stream().filter(e -> e.name().equals("message")).toList();
        }
    }

    /** Waits until {@code count} comment lines arrived and returns their arrival times. */
    List<Long> comments(int count) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (events) {
            while (comments.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("only " + comments.size() + " comments");
                }
                waitFor(left);
            }
            return List.copyOf(comments);
        }
    }

    List<Long> retries() {
        synchronized (events) {
            return List.copyOf(retries);
        }
    }

    /** Waits until the server ends the stream. */
    void awaitEnd() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (events) {
            while (!ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the stream did not end");
                }
                waitFor(left);
            }
        }
    }

    private void waitFor(long nanos) {
        try {
            events.wait(TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (response.statusCode() == 200) {
            response.body().close();
        }
    }
}

package io.parley.bootstrap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.parley.application.port.out.ChatMetrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports the core's metrics to Helidon's meter registry (served as Prometheus text at
 * {@code /observe/metrics}): sessions and connections per transport, commands by type, events delivered,
 * errors by code, fan-out delivery time and slow-consumer closes. Meters are created once per tag value
 * and cached, so the delivery path only increments.
 */
final class HelidonChatMetrics implements ChatMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> activeByTransport = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter slowConsumers;
    private final Timer fanout;

    HelidonChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.delivered = registry.getOrCreate(Counter.builder("parley.events.delivered")
                .description("Events handed to session queues"));
        this.slowConsumers = registry.getOrCreate(Counter.builder("parley.sessions.slow.consumer.closes")
                .description("Sessions closed with 4008 because their outbound queue overflowed"));
        this.fanout = registry.getOrCreate(Timer.builder("parley.fanout.delivery")
                .description("Time from storing a durable event to queueing it for this node's sessions"));
    }

    @Override
    public void sessionOpened(String transport) {
        active(transport).incrementAndGet();
        counter("parley.sessions.opened", "transport", transport).increment();
    }

    @Override
    public void sessionClosed(String transport, String reason) {
        active(transport).decrementAndGet();
        counter("parley.sessions.closed", "reason", reason).increment();
    }

    @Override
    public void commandHandled(String type) {
        counter("parley.commands", "type", type).increment();
    }

    @Override
    public void errorSent(String code) {
        counter("parley.errors", "code", code).increment();
    }

    @Override
    public void eventsDelivered(int count) {
        delivered.increment(count);
    }

    @Override
    public void fanoutDelivered(Duration elapsed) {
        fanout.record(elapsed.isNegative() ? Duration.ZERO : elapsed);
    }

    @Override
    public void slowConsumerClosed() {
        slowConsumers.increment();
    }

    @Override
    public void limitRefused(String limit) {
        counter("parley.limit.refusals", "limit", limit).increment();
    }

    @Override
    public void hookDecided(String hook, String decision) {
        counters.computeIfAbsent("parley.hook.decisions\u0000" + hook + '\u0000' + decision, k -> registry.getOrCreate(
                Counter.builder("parley.hook.decisions").description("Decision hooks' answers other than allow")
                        .tags(List.of(Tag.create("hook", hook), Tag.create("decision", decision))))).increment();
    }

    @Override
    public void feedDelivered(String feed, boolean delivered) {
        String outcome = delivered ? "delivered" : "failed";
        counters.computeIfAbsent("parley.feed.deliveries\u0000" + feed + '\u0000' + outcome, k -> registry.getOrCreate(
                Counter.builder("parley.feed.deliveries").description("Events given to listeners and webhooks, "
                                + "and failed attempts (retried)")
                        .tags(List.of(Tag.create("feed", feed), Tag.create("outcome", outcome))))).increment();
    }

    private AtomicLong active(String transport) {
        return activeByTransport.computeIfAbsent(transport, t -> {
            AtomicLong gauge = new AtomicLong();
            registry.getOrCreate(Gauge.builder("parley.connections", gauge::get)
                    .description("Open connections by transport")
                    .tags(List.of(Tag.create("transport", t))));
            return gauge;
        });
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '\u0000' + value, k -> registry.getOrCreate(Counter.builder(name)
                .tags(List.of(Tag.create(tag, value)))));
    }
}

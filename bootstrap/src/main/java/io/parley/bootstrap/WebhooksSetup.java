package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.hooks.Webhooks;
import io.parley.application.service.EventFeeds;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook endpoints from {@code parley.webhooks}: {@code url} and {@code secret} (the environment's
 * {@code PARLEY_WEBHOOK_URL}, {@code PARLEY_WEBHOOK_SECRET}) make one endpoint named {@code default};
 * {@code endpoints} lists more, each with {@code name}, {@code url}, {@code secret}, {@code events} and
 * {@code timeout}. None by default.
 */
final class WebhooksSetup {
    private static final System.Logger LOG = System.getLogger(WebhooksSetup.class.getName());
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private WebhooksSetup() {
    }

    static List<Webhooks.Endpoint> endpoints(Config webhooks, boolean dev) {
        List<Webhooks.Endpoint> endpoints = new ArrayList<>();
        Duration timeout = webhooks.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT);
        try {
            text(webhooks.get("url")).ifPresent(url -> endpoints.add(new Webhooks.Endpoint("default", URI.create(url),
                    text(webhooks.get("secret")), Set.copyOf(webhooks.get("events").asList(String.class)
                    .orElse(List.of())), timeout)));
            for (Config entry : webhooks.get("endpoints").asNodeList().orElse(List.of())) {
                endpoints.add(new Webhooks.Endpoint(entry.get("name").asString().orElse(""),
                        URI.create(entry.get("url").asString().orElse("")), text(entry.get("secret")),
                        Set.copyOf(entry.get("events").asList(String.class).orElse(List.of())),
                        entry.get("timeout").as(Duration.class).orElse(timeout)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("parley.webhooks: " + e.getMessage());
        }
        if (endpoints.stream().map(Webhooks.Endpoint::name).distinct().count() != endpoints.size()) {
            throw new IllegalStateException("parley.webhooks: two endpoints with one name");
        }
        endpoints.stream().filter(e -> e.secret().isEmpty() && !dev).forEach(e -> LOG.log(System.Logger.Level.WARNING,
                "webhook " + e.name() + " has no secret: its receiver cannot tell that a delivery comes from Parley"));
        return endpoints;
    }

    /** How listeners are fed: {@code parley.webhooks.lease} and {@code sweep} (defaults 15 s and 5 s). */
    static EventFeeds.Settings feedSettings(Config webhooks) {
        return new EventFeeds.Settings(
                webhooks.get("lease").as(Duration.class).orElse(EventFeeds.Settings.DEFAULTS.lease()),
                webhooks.get("sweep").as(Duration.class).orElse(EventFeeds.Settings.DEFAULTS.sweep()));
    }

    private static Optional<String> text(Config value) {
        return value.asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
    }
}

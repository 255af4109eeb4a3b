package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.hooks.Webhooks;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.Rooms;
import io.parley.application.service.EventFeeds;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomEvent;
import io.parley.domain.UserId;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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

    /**
     * {@code parley.webhooks.unread-offline-debounce} (default a minute; zero turns the deliveries off): after
     * telling the backend that a member who is offline has a message waiting in a room, the next such delivery
     * for that member and room waits this long.
     */
    static Duration unreadDebounce(Config webhooks) {
        Duration debounce = webhooks.get("unread-offline-debounce").as(Duration.class).orElse(Duration.ofMinutes(1));
        if (debounce.isNegative()) {
            throw new IllegalStateException("parley.webhooks.unread-offline-debounce: must not be negative");
        }
        return debounce;
    }

    /**
     * The members of a posted message's room, other than its author, with no session on any node: read from the
     * room's members and the presence registry for each message, in rooms of at most
     * {@code unread-offline-max-members} (default 1,000; larger rooms get no such deliveries).
     */
    static Function<RoomEvent.MessagePosted, List<UserId>> offlineMembers(Config webhooks, Rooms rooms,
                                                                          PresenceRegistry presence) {
        int max = webhooks.get("unread-offline-max-members").asInt().orElse(1000);
        return posted -> {
            List<UserId> others = rooms.members(posted.message().room()).stream()
                    .filter(member -> !member.equals(posted.message().author())).toList();
            if (others.isEmpty() || others.size() > max) {
                return List.of();
            }
            return presence.presenceOf(others).stream().filter(p -> p.status() == PresenceStatus.OFFLINE)
                    .map(Presence::user).toList();
        };
    }

    private static Optional<String> text(Config value) {
        return value.asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
    }
}

package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.hooks.HttpHooks;
import io.parley.adapters.hooks.HttpHooksSettings;
import io.parley.application.port.out.ChatHooks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The server's decision hooks from configuration: the word filter ({@code parley.moderation}), then the
 * backend's HTTP hooks ({@code parley.hooks.http}), in that order (a message the filter refuses never reaches
 * the backend).
 */
final class HooksSetup {
    private static final System.Logger LOG = System.getLogger(HooksSetup.class.getName());

    private HooksSetup() {
    }

    /**
     * @param parley the {@code parley} node
     * @param clock  time
     * @return the hooks (none when nothing is configured)
     */
    static ChatHooks from(Config parley, Clock clock) {
        boolean dev = parley.get("dev").asBoolean().orElse(false);
        List<ChatHooks> hooks = new ArrayList<>();
        BlockedWords.from(parley.get("moderation"), dev).ifPresent(hooks::add);
        http(parley.get("hooks.http"), dev, clock).ifPresent(hooks::add);
        return ChatHooks.chain(hooks);
    }

    static Optional<ChatHooks> http(Config http, boolean dev, Clock clock) {
        String url = http.get("url").asString().orElse("").strip();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Set<HttpHooksSettings.Hook> asked = EnumSet.noneOf(HttpHooksSettings.Hook.class);
        for (String decision : http.get("decisions").asList(String.class).orElse(List.of("send", "join", "subscribe"))) {
            try {
                asked.add(HttpHooksSettings.Hook.valueOf(decision.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("parley.hooks.http.decisions takes send, join and subscribe, not \""
                        + decision.strip() + "\"");
            }
        }
        String onFailure = http.get("on-failure").asString().orElse("refuse").strip().toLowerCase(Locale.ROOT);
        if (!onFailure.equals("refuse") && !onFailure.equals("allow")) {
            throw new IllegalStateException("parley.hooks.http.on-failure is refuse or allow, not \"" + onFailure + "\"");
        }
        Optional<String> secret = http.get("secret").asString().map(String::strip).filter(s -> !s.isEmpty());
        if (secret.isEmpty() && !dev) {
            LOG.log(System.Logger.Level.WARNING, "parley.hooks.http.secret is not set: the backend cannot tell that "
                    + "its requests come from Parley (set PARLEY_HOOKS_SECRET and check Parley-Signature)");
        }
        HttpHooksSettings settings;
        try {
            settings = new HttpHooksSettings(URI.create(url),
                    http.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                    http.get("cache").as(Duration.class).orElse(Duration.ofSeconds(10)),
                    http.get("rooms").asList(String.class).orElse(List.of("*")).stream()
                            .map(String::strip).filter(r -> !r.isEmpty()).toList(),
                    asked, onFailure.equals("allow"), secret, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("parley.hooks.http: " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "decision hooks: {0} asks {1} for rooms {2} (on failure: {3})",
                settings.shownUrl(),
                asked, settings.rooms(), onFailure);
        return Optional.of(HttpHooks.create(settings));
    }
}

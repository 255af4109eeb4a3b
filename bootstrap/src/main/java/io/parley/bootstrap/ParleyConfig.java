package io.parley.bootstrap;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loads the configuration. Highest priority first: explicit overrides (command line, tests, embedding
 * code), the short environment variable names of the README, Helidon's own environment variable mapping,
 * system properties, the file {@code PARLEY_CONFIG} names, if any, and the built-in {@code application.yaml}.
 */
final class ParleyConfig {
    /** Short environment variable names, as documented in the README, and the keys they set. */
    static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("PARLEY_PORT", "server.port"),
            Map.entry("PARLEY_HOST", "server.host"),
            Map.entry("PARLEY_DEV", "parley.dev"),
            Map.entry("PARLEY_JWT_SECRET", "parley.auth.hs256-secret"),
            Map.entry("PARLEY_JWT_PUBLIC_KEY_FILE", "parley.auth.public-key-file"),
            Map.entry("PARLEY_JWT_JWKS_FILE", "parley.auth.jwks-file"),
            Map.entry("PARLEY_JWT_JWKS_URL", "parley.auth.jwks-url"),
            Map.entry("PARLEY_JWT_ISSUER", "parley.auth.issuer"),
            Map.entry("PARLEY_JWT_AUDIENCE", "parley.auth.audience"),
            Map.entry("PARLEY_ALLOWED_ORIGINS", "parley.origins"),
            Map.entry("PARLEY_TRUSTED_PROXIES", "parley.http.trusted-proxies"),
            Map.entry("PARLEY_LOG_FORMAT", "parley.log.format"),
            Map.entry("PARLEY_OBSERVE_PORT", "parley.observe.port"),
            Map.entry("PARLEY_DIAGNOSTICS", "parley.diagnostics"),
            Map.entry("PARLEY_STORE", "parley.store.kind"),
            Map.entry("PARLEY_DB_URL", "parley.store.jdbc.url"),
            Map.entry("PARLEY_DB_USER", "parley.store.jdbc.user"),
            Map.entry("PARLEY_DB_PASSWORD", "parley.store.jdbc.password"),
            Map.entry("PARLEY_FANOUT", "parley.fanout.kind"),
            Map.entry("PARLEY_REDIS_URI", "parley.fanout.redis.uri"),
            Map.entry("PARLEY_HOOKS_URL", "parley.hooks.http.url"),
            Map.entry("PARLEY_HOOKS_SECRET", "parley.hooks.http.secret"),
            Map.entry("PARLEY_SERVER_API_KEYS", "parley.server-api.keys"),
            Map.entry("PARLEY_WEBHOOK_URL", "parley.webhooks.url"),
            Map.entry("PARLEY_WEBHOOK_SECRET", "parley.webhooks.secret"));

    /**
     * The environment variable naming a configuration file (YAML, like the built-in application.yaml); its
     * values win over the built-in defaults, and the environment wins over it. The package's launcher sets it
     * to {@code config/application.yaml}.
     */
    static final String CONFIG_FILE = "PARLEY_CONFIG";

    private ParleyConfig() {
    }

    static Config load(Map<String, String> overrides) {
        return load(overrides, System.getenv());
    }

    static Config load(Map<String, String> overrides, Map<String, String> environment) {
        Map<String, String> aliased = new LinkedHashMap<>();
        ALIASES.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                aliased.put(key, value);
            }
        });
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>(List.of(ConfigSources.create(overrides),
                ConfigSources.create(aliased),
                ConfigSources.environmentVariables(),
                ConfigSources.systemProperties()));
        String file = environment.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file.strip());
            if (!Files.isReadable(path)) {
                throw new IllegalStateException(CONFIG_FILE + "=" + path + ": no such readable file");
            }
            sources.add(ConfigSources.file(path));
        }
        sources.add(ConfigSources.classpath("application.yaml"));
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
    }
}

package io.parley.bootstrap;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the configuration. Highest priority first: explicit overrides (command line, tests, embedding
 * code), the short environment variable names of the README, Helidon's own environment variable mapping,
 * system properties, and {@code application.yaml}.
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
            Map.entry("PARLEY_JWT_ISSUER", "parley.auth.issuer"),
            Map.entry("PARLEY_JWT_AUDIENCE", "parley.auth.audience"),
            Map.entry("PARLEY_ALLOWED_ORIGINS", "parley.origins"),
            Map.entry("PARLEY_DIAGNOSTICS", "parley.diagnostics"),
            Map.entry("PARLEY_STORE", "parley.store.kind"),
            Map.entry("PARLEY_DB_URL", "parley.store.jdbc.url"),
            Map.entry("PARLEY_DB_USER", "parley.store.jdbc.user"),
            Map.entry("PARLEY_DB_PASSWORD", "parley.store.jdbc.password"),
            Map.entry("PARLEY_FANOUT", "parley.fanout.kind"),
            Map.entry("PARLEY_REDIS_URI", "parley.fanout.redis.uri"));

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
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(List.of(ConfigSources.create(overrides),
                        ConfigSources.create(aliased),
                        ConfigSources.environmentVariables(),
                        ConfigSources.systemProperties(),
                        ConfigSources.classpath("application.yaml")))
                .build();
    }
}

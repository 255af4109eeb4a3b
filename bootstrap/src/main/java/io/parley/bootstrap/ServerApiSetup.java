package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.rest.ServerKeys;
import io.parley.application.port.out.UsageCounters;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The server API's keys from {@code parley.server-api.keys}: each entry either {@code ID:SHA256:SCOPES}
 * (scopes joined by {@code +}; what {@code parley server-key} prints, and the form
 * {@code PARLEY_SERVER_API_KEYS} takes, comma-separated) or an object with {@code id}, {@code sha256} and
 * {@code scopes}. No key, no server API.
 */
final class ServerApiSetup {
    static final int DEFAULT_REQUESTS_PER_SECOND = 200;

    private ServerApiSetup() {
    }

    static ServerKeys keys(Config serverApi) {
        Config configured = serverApi.get("keys");
        List<ServerKeys.Key> keys = new ArrayList<>();
        try {
            if (configured.isLeaf()) { // one value, as the environment gives it: comma-separated entries
                configured.asList(String.class).orElse(List.of()).stream().filter(line -> !line.isBlank())
                        .forEach(line -> keys.add(parse(line)));
            } else {
                for (Config entry : configured.asNodeList().orElse(List.of())) {
                    keys.add(entry.get("id").exists()
                            ? new ServerKeys.Key(entry.get("id").asString().get(),
                            entry.get("sha256").asString().orElse(""),
                            scopes(entry.get("scopes").asList(String.class).orElse(List.of())))
                            : parse(entry.asString().orElse("")));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("parley.server-api.keys: " + e.getMessage());
        }
        return ServerKeys.of(keys);
    }

    /**
     * The request rate of each key: {@code requests-per-second} (default 200), in bursts of twice as many,
     * counted in the core's usage counters, so on every node together when they are shared (Redis).
     */
    static Predicate<String> rate(Config serverApi, UsageCounters counters) {
        int perSecond = serverApi.get("requests-per-second").asInt().orElse(DEFAULT_REQUESTS_PER_SECOND);
        if (perSecond < 1) {
            throw new IllegalStateException("parley.server-api.requests-per-second: must be at least 1");
        }
        return key -> counters.take("server-api:" + key, 1, 2.0 * perSecond, perSecond) == 1;
    }

    private static ServerKeys.Key parse(String line) {
        String[] parts = line.strip().split(":");
        if (line.isBlank()) {
            throw new IllegalArgumentException("an empty entry");
        }
        if (parts.length != 3) {
            throw new IllegalArgumentException("an entry is ID:SHA256:SCOPES (e.g. crm:<64 hex digits>:rooms+read), "
                    + "as parley server-key prints it");
        }
        return new ServerKeys.Key(parts[0], parts[1], scopes(List.of(parts[2].split("\\+"))));
    }

    private static Set<ServerKeys.Scope> scopes(List<String> names) {
        Set<ServerKeys.Scope> scopes = EnumSet.noneOf(ServerKeys.Scope.class);
        names.stream().filter(n -> !n.isBlank()).forEach(n -> scopes.add(ServerKeys.Scope.named(n)));
        return scopes;
    }
}

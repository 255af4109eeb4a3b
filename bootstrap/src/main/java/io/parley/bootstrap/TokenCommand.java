package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.auth.DevTokens;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code parley token USER [NAME]}: an HS256 token the configured server accepts. With
 * {@code PARLEY_JWT_SECRET} set it signs with that secret. Without one it refuses when the server checks a
 * public key or a JWKS (its tokens come from the identity provider; a token signed here would be refused),
 * and otherwise signs with the dev secret, saying that only a dev-mode server accepts it.
 */
final class TokenCommand {
    private TokenCommand() {
    }

    /**
     * @param token   the token
     * @param warning what the user should know about it, if anything
     */
    record Issued(String token, Optional<String> warning) {
    }

    /**
     * @param parley the {@code parley} configuration node
     * @param user   the token's subject
     * @param name   its display name
     * @param clock  the time it is issued at
     * @return the token, perhaps with a warning
     * @throws IllegalStateException when the server would not accept a token signed here
     */
    static Issued issue(Config parley, String user, String name, Clock clock) {
        Duration ttl = parley.get("dev-token-ttl").as(Duration.class).orElse(Duration.ofHours(12));
        Optional<String> secret = text(parley, "auth.hs256-secret");
        if (secret.isPresent()) {
            return new Issued(DevTokens.create(secret.get(), clock).issue(user, name, ttl), Optional.empty());
        }
        if (text(parley, "auth.public-key-file").isPresent() || text(parley, "auth.jwks-file").isPresent()
                || text(parley, "auth.jwks-url").isPresent()) {
            throw new IllegalStateException("this server checks tokens with a public key (PARLEY_JWT_PUBLIC_KEY_FILE, "
                    + "PARLEY_JWT_JWKS_FILE or PARLEY_JWT_JWKS_URL): its tokens come from your identity provider. "
                    + "parley token signs HS256 tokens, with the secret in PARLEY_JWT_SECRET.");
        }
        Path file = Path.of(parley.get("dev-secret-file").asString().orElse("data/dev-secret"));
        String token = DevTokens.create(AuthSetup.devSecret(file), clock).issue(user, name, ttl);
        return new Issued(token, Optional.of("no PARLEY_JWT_SECRET is set: this token is signed with the dev secret ("
                + file + ") and only a dev-mode server (bin/parley dev) accepts it"));
    }

    private static Optional<String> text(Config parley, String key) {
        return parley.get(key).asString().asOptional().map(String::strip).filter(value -> !value.isEmpty());
    }
}

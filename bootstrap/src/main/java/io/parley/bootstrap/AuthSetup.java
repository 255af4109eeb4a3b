package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.auth.DevTokens;
import io.parley.adapters.auth.JwtAuth;
import io.parley.adapters.auth.JwtSettings;
import io.parley.application.port.out.TokenVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Authentication and origin settings, with the safety rules that keep dev conveniences out of production:
 * outside dev mode a JWT key must be configured, {@code *} is refused as an origin and no dev tokens are
 * issued. In dev mode a missing key becomes a generated HS256 secret kept in {@code dev-secret-file}, so
 * that {@code parley token USER} signs tokens the running server accepts.
 *
 * @param verifier  the token verifier
 * @param devTokens the dev token issuer, only in dev mode with an HS256 secret
 * @param origins   allowed browser origins
 * @param tokenTtl  lifetime of dev tokens
 */
record AuthSetup(TokenVerifier verifier, Optional<DevTokens> devTokens, List<String> origins, Duration tokenTtl) {
    private static final System.Logger LOG = System.getLogger(AuthSetup.class.getName());

    static AuthSetup from(Config parley, Clock clock) {
        boolean dev = parley.get("dev").asBoolean().orElse(false);
        Config auth = parley.get("auth");
        JwtSettings.Builder jwt = JwtSettings.builder()
                .clock(clock)
                .clockSkew(auth.get("clock-skew").as(Duration.class).orElse(JwtSettings.DEFAULT_CLOCK_SKEW))
                .verifiedTokenCache(auth.get("verified-token-cache").asInt()
                        .orElse(JwtSettings.DEFAULT_VERIFIED_TOKEN_CACHE))
                .maxDisplayNameLength(parley.get("limits.max-display-name-length").asInt().orElse(100));
        Optional<String> secret = text(auth, "hs256-secret");
        Optional<String> publicKeyFile = text(auth, "public-key-file");
        Optional<String> jwksFile = text(auth, "jwks-file");
        Optional<String> jwksUrl = text(auth, "jwks-url");
        if (secret.isEmpty() && publicKeyFile.isEmpty() && jwksFile.isEmpty() && jwksUrl.isEmpty()) {
            if (!dev) {
                throw new IllegalStateException("No JWT key is configured. Set PARLEY_JWT_SECRET (HS256, at least "
                        + "32 bytes), PARLEY_JWT_PUBLIC_KEY_FILE, PARLEY_JWT_JWKS_FILE or PARLEY_JWT_JWKS_URL; or start "
                        + "in dev mode (bin/parley dev) for local development.");
            }
            secret = Optional.of(devSecret(Path.of(parley.get("dev-secret-file").asString().orElse("data/dev-secret"))));
        }
        secret.ifPresent(jwt::hmacSecret);
        publicKeyFile.ifPresent(file -> jwt.publicKeyPem(read(Path.of(file))));
        jwksFile.ifPresent(file -> jwt.jwksFile(Path.of(file)));
        jwksUrl.ifPresent(url -> jwt.jwksUrl(URI.create(url)));
        text(auth, "jwks-ca-file").ifPresent(file -> jwt.jwksCaFile(Path.of(file)));
        jwt.jwksTiming(auth.get("jwks-cache").as(Duration.class).orElse(Duration.ofMinutes(10)),
                auth.get("jwks-min-refresh-interval").as(Duration.class).orElse(Duration.ofSeconds(30)));
        text(auth, "issuer").ifPresent(jwt::issuer);
        text(auth, "audience").ifPresent(jwt::audience);
        List<String> algorithms = auth.get("algorithms").asList(String.class).orElse(List.of()).stream()
                .filter(a -> !a.isBlank()).toList();
        if (!algorithms.isEmpty()) {
            jwt.algorithms(algorithms);
        }
        JwtSettings settings = jwt.build();

        List<String> origins = parley.get("origins").asList(String.class).orElse(List.of()).stream()
                .map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (origins.contains("*") && !dev) {
            throw new IllegalStateException("parley.origins contains \"*\", which is allowed in dev mode only: "
                    + "list the exact origins of your web app (PARLEY_ALLOWED_ORIGINS=https://app.example.com)");
        }
        if (origins.isEmpty() && dev) {
            origins = List.of("*");
        }
        Optional<DevTokens> devTokens = dev && settings.hasHmacSecret()
                ? Optional.of(DevTokens.create(settings))
                : Optional.empty();
        Duration ttl = parley.get("dev-token-ttl").as(Duration.class).orElse(Duration.ofHours(12));
        return new AuthSetup(JwtAuth.verifier(settings), devTokens, origins, ttl);
    }

    private static Optional<String> text(Config config, String key) {
        return config.get(key).asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The dev secret: read from the file, or generated and stored there (owner-only permissions). */
    static String devSecret(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            String secret = DevTokens.randomSecret();
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.log(System.Logger.Level.DEBUG, "no POSIX permissions on this file system");
            }
            LOG.log(System.Logger.Level.INFO, "Generated a dev HS256 secret in " + file);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the dev secret file " + file, e);
        }
    }
}

package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier;

import java.util.Objects;

/**
 * The entry point of the JWT adapter: creates the {@link TokenVerifier} that every transport uses.
 */
public final class JwtAuth {
    private JwtAuth() {
    }

    /**
     * Creates a verifier. A configured JWKS file is read now, once.
     *
     * @param settings what to accept
     * @return a thread-safe verifier
     * @throws IllegalArgumentException     when the JWKS file is not a usable key set
     * @throws java.io.UncheckedIOException when the JWKS file cannot be read
     */
    public static TokenVerifier verifier(JwtSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return new JoseTokenVerifier(settings, VerificationKeys.from(settings));
    }
}

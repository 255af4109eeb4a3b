package io.parley.adapters.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * The JWS algorithms this adapter can be configured to accept, each with the kind of key that verifies
 * it. {@code none} is deliberately absent. The constant names are the JOSE {@code alg} names.
 */
enum JwsAlgorithm {
    HS256(KeyKind.SECRET, 32),
    HS384(KeyKind.SECRET, 48),
    HS512(KeyKind.SECRET, 64),
    RS256(KeyKind.RSA, 0),
    RS384(KeyKind.RSA, 0),
    RS512(KeyKind.RSA, 0),
    PS256(KeyKind.RSA, 0),
    PS384(KeyKind.RSA, 0),
    PS512(KeyKind.RSA, 0),
    ES256(KeyKind.EC, 0),
    ES384(KeyKind.EC, 0),
    ES512(KeyKind.EC, 0);

    /** What verifies a signature: the shared secret or a public key of a type. */
    enum KeyKind {
        SECRET, RSA, EC
    }

    private final KeyKind keyKind;
    private final int minSecretBytes;

    JwsAlgorithm(KeyKind keyKind, int minSecretBytes) {
        this.keyKind = keyKind;
        this.minSecretBytes = minSecretBytes;
    }

    KeyKind keyKind() {
        return keyKind;
    }

    /** The shortest secret jose4j accepts for this HMAC algorithm (the hash size); 0 for public-key ones. */
    int minSecretBytes() {
        return minSecretBytes;
    }

    /** The JWK {@code kty} of keys that verify this algorithm; empty for HMAC. */
    Optional<String> jwkKeyType() {
        return keyKind == KeyKind.SECRET ? Optional.empty() : Optional.of(keyKind.name());
    }

    /** Looks up a JOSE {@code alg} name exactly as it appears in a token header. */
    static Optional<JwsAlgorithm> fromHeader(String alg) {
        for (JwsAlgorithm candidate : values()) {
            if (candidate.name().equals(alg)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Looks up a configured name; case-insensitive because configuration is typed by people. */
    static Optional<JwsAlgorithm> fromConfig(String name) {
        return fromHeader(name.strip().toUpperCase(Locale.ROOT));
    }
}

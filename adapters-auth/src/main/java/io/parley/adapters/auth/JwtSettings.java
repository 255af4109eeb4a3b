package io.parley.adapters.auth;

import io.parley.domain.ChatLimits;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How bearer tokens are verified: which algorithms are allowed, which key checks them, and which
 * claims must hold. Built with {@link #builder()}; every setting is validated by {@link Builder#build()}.
 *
 * <p>Exactly one public-key source may be configured (PEM text or a JWKS file), with or without an HS256
 * secret. {@link #toString()} never shows the secret.
 */
public final class JwtSettings {
    /** The shortest accepted HMAC secret, in UTF-8 bytes (the HS256 hash size). */
    public static final int MIN_SECRET_BYTES = 32;
    /** The default allowed difference between our clock and the issuer's. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** The default number of accepted tokens remembered, so that a token presented again is not parsed again. */
    public static final int DEFAULT_VERIFIED_TOKEN_CACHE = 4096;

    private final Set<JwsAlgorithm> algorithms;
    private final byte[] hmacSecret;
    private final Optional<String> publicKeyPem;
    private final Optional<PublicKey> publicKey;
    private final Optional<Path> jwksFile;
    private final Optional<URI> jwksUrl;
    private final Optional<Path> jwksCaFile;
    private final Duration jwksCache;
    private final Duration jwksMinRefreshInterval;
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final Duration clockSkew;
    private final boolean requireExpiry;
    private final Clock clock;
    private final int maxDisplayNameLength;
    private final int verifiedTokenCache;

    private JwtSettings(Builder builder, Set<JwsAlgorithm> algorithms, Optional<PublicKey> publicKey) {
        this.algorithms = algorithms;
        this.hmacSecret = builder.hmacSecret;
        this.publicKeyPem = builder.publicKeyPem;
        this.publicKey = publicKey;
        this.jwksFile = builder.jwksFile;
        this.jwksUrl = builder.jwksUrl;
        this.jwksCaFile = builder.jwksCaFile;
        this.jwksCache = builder.jwksCache;
        this.jwksMinRefreshInterval = builder.jwksMinRefreshInterval;
        this.issuer = builder.issuer;
        this.audience = builder.audience;
        this.clockSkew = builder.clockSkew;
        this.requireExpiry = builder.requireExpiry;
        this.clock = builder.clock;
        this.maxDisplayNameLength = builder.maxDisplayNameLength;
        this.verifiedTokenCache = builder.verifiedTokenCache;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the JOSE names of the accepted signature algorithms, in a stable order */
    public Set<String> algorithms() {
        return algorithms.stream().map(Enum::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** @return whether an HMAC secret is configured (the secret itself is not exposed) */
    public boolean hasHmacSecret() {
        return hmacSecret.length > 0;
    }

    /** @return the PEM text of the public key, when one is configured */
    public Optional<String> publicKeyPem() {
        return publicKeyPem;
    }

    /** @return the JWKS file, when one is configured */
    public Optional<Path> jwksFile() {
        return jwksFile;
    }

    /** @return the issuer's JWKS URL (https), when one is configured */
    public Optional<URI> jwksUrl() {
        return jwksUrl;
    }

    /** @return PEM certificates to trust for the JWKS URL besides the JDK's, when configured */
    public Optional<Path> jwksCaFile() {
        return jwksCaFile;
    }

    /** @return how long a fetched key set is kept when the answer says nothing ({@code Cache-Control}) */
    public Duration jwksCache() {
        return jwksCache;
    }

    /** @return the least time between two fetches caused by a {@code kid} the set does not hold */
    public Duration jwksMinRefreshInterval() {
        return jwksMinRefreshInterval;
    }

    /** @return the required {@code iss}, when one is configured */
    public Optional<String> issuer() {
        return issuer;
    }

    /** @return the audience that {@code aud} must contain, when one is configured */
    public Optional<String> audience() {
        return audience;
    }

    /** @return the allowed clock difference for {@code exp} and {@code nbf} */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** @return whether tokens without {@code exp} are refused */
    public boolean requireExpiry() {
        return requireExpiry;
    }

    /** @return the clock against which {@code exp} and {@code nbf} are evaluated */
    public Clock clock() {
        return clock;
    }

    /** @return the longest display name taken from the {@code name} claim; longer ones are cut */
    public int maxDisplayNameLength() {
        return maxDisplayNameLength;
    }

    /** @return how many accepted tokens are remembered until they expire (at most 5 minutes); 0 for none */
    public int verifiedTokenCache() {
        return verifiedTokenCache;
    }

    Set<JwsAlgorithm> allowedAlgorithms() {
        return algorithms;
    }

    /** A copy of the secret's UTF-8 bytes, empty when none is configured. */
    byte[] hmacSecretBytes() {
        return hmacSecret.clone();
    }

    /** The parsed PEM key. */
    Optional<PublicKey> publicKey() {
        return publicKey;
    }

    @Override
    public String toString() {
        return "JwtSettings[algorithms=" + algorithms()
                + ", hmacSecret=" + (hasHmacSecret() ? "(set)" : "(none)")
                + ", publicKeyPem=" + (publicKeyPem.isPresent() ? "(set)" : "(none)")
                + ", jwksFile=" + jwksFile.map(Path::toString).orElse("(none)")
                + ", jwksUrl=" + jwksUrl.map(URI::toString).orElse("(none)")
                + ", issuer=" + issuer.orElse("(any)")
                + ", audience=" + audience.orElse("(any)")
                + ", clockSkew=" + clockSkew
                + ", requireExpiry=" + requireExpiry
                + ", maxDisplayNameLength=" + maxDisplayNameLength + ", verifiedTokenCache=" + verifiedTokenCache + "]";
    }

    /**
     * Checks that a secret is long enough. The message never contains the secret.
     *
     * @return the secret's UTF-8 bytes
     */
    static byte[] checkSecret(String secret) {
        Objects.requireNonNull(secret, "hmacSecret");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("hmac-secret must be at least " + MIN_SECRET_BYTES
                    + " bytes of UTF-8; generate one with: openssl rand -base64 48");
        }
        return bytes;
    }

    /** Collects and validates {@link JwtSettings}. */
    public static final class Builder {
        private Set<JwsAlgorithm> algorithms = EnumSet.noneOf(JwsAlgorithm.class);
        private byte[] hmacSecret = new byte[0];
        private Optional<String> publicKeyPem = Optional.empty();
        private Optional<Path> jwksFile = Optional.empty();
        private Optional<URI> jwksUrl = Optional.empty();
        private Optional<Path> jwksCaFile = Optional.empty();
        private Duration jwksCache = Duration.ofMinutes(10);
        private Duration jwksMinRefreshInterval = Duration.ofSeconds(30);
        private Optional<String> issuer = Optional.empty();
        private Optional<String> audience = Optional.empty();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private boolean requireExpiry = true;
        private Clock clock = Clock.systemUTC();
        private int maxDisplayNameLength = ChatLimits.DEFAULTS.maxDisplayNameLength();
        private int verifiedTokenCache = DEFAULT_VERIFIED_TOKEN_CACHE;

        private Builder() {
        }

        /**
         * The accepted signature algorithms (JOSE names such as {@code HS256}, {@code RS256},
         * {@code ES256}). Default: {@code HS256} when a secret is configured, plus {@code RS256} for an RSA
         * PEM key, {@code ES256} for an EC PEM key, or both for a JWKS file. {@code none} is never accepted.
         *
         * @param names the algorithm names
         * @return this builder
         * @throws IllegalArgumentException for {@code none} or an unsupported name
         */
        public Builder algorithms(Collection<String> names) {
            Set<JwsAlgorithm> parsed = EnumSet.noneOf(JwsAlgorithm.class);
            for (String name : names) {
                Objects.requireNonNull(name, "algorithm");
                if (name.strip().equalsIgnoreCase("none")) {
                    throw new IllegalArgumentException("algorithm 'none' is never accepted");
                }
                parsed.add(JwsAlgorithm.fromConfig(name).orElseThrow(() -> new IllegalArgumentException(
                        "unsupported algorithm '" + name + "'; supported: " + Arrays.toString(JwsAlgorithm.values()))));
            }
            this.algorithms = parsed;
            return this;
        }

        /**
         * @param names the algorithm names
         * @return this builder
         * @see #algorithms(Collection)
         */
        public Builder algorithms(String... names) {
            return algorithms(List.of(names));
        }

        /**
         * The HMAC secret; its UTF-8 bytes are the key.
         *
         * @param secret at least {@value #MIN_SECRET_BYTES} bytes of UTF-8
         * @return this builder
         * @throws IllegalArgumentException when the secret is too short (the message does not show it)
         */
        public Builder hmacSecret(String secret) {
            this.hmacSecret = checkSecret(secret);
            return this;
        }

        /**
         * The issuer's public key as PEM text: a {@code PUBLIC KEY} block holding an
         * RSA or EC key. Not together with {@link #jwksFile(Path)}.
         *
         * @param pem the PEM text
         * @return this builder
         */
        public Builder publicKeyPem(String pem) {
            this.publicKeyPem = Optional.of(Objects.requireNonNull(pem, "publicKeyPem"));
            return this;
        }

        /**
         * A JSON Web Key Set file holding the issuer's RSA or EC public keys; the token's {@code kid}
         * picks the key. Read once, when the verifier is created. Not together with {@link #publicKeyPem}.
         *
         * @param path the file
         * @return this builder
         */
        public Builder jwksFile(Path path) {
            this.jwksFile = Optional.of(Objects.requireNonNull(path, "jwksFile"));
            return this;
        }

        /**
         * The issuer's JSON Web Key Set URL ({@code https://}): fetched when first needed, kept for its
         * {@code Cache-Control: max-age} or {@link #jwksCache}, fetched again when a token names an unknown
         * {@code kid} (key rotation), at most once per {@link #jwksMinRefreshInterval}. Not together with
         * a PEM key or a JWKS file.
         *
         * @param url the URL
         * @return this builder
         * @throws IllegalArgumentException for a URL that is not https
         */
        public Builder jwksUrl(URI url) {
            Objects.requireNonNull(url, "jwksUrl");
            if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("jwks-url must be an https:// URL: keys fetched over plain http "
                        + "could be replaced on the way");
            }
            this.jwksUrl = Optional.of(url);
            return this;
        }

        /**
         * @param file PEM certificates to trust for the JWKS URL (a private CA), besides the JDK's
         * @return this builder
         */
        public Builder jwksCaFile(Path file) {
            this.jwksCaFile = Optional.of(Objects.requireNonNull(file, "jwksCaFile"));
            return this;
        }

        /**
         * @param cache     how long a fetched key set is kept when its answer has no max-age (default 10 min)
         * @param minRefresh the least time between fetches caused by unknown key ids (default 30 s)
         * @return this builder
         */
        public Builder jwksTiming(Duration cache, Duration minRefresh) {
            if (cache.isNegative() || minRefresh.isNegative()) {
                throw new IllegalArgumentException("jwks-cache and jwks-min-refresh-interval must not be negative");
            }
            this.jwksCache = cache;
            this.jwksMinRefreshInterval = minRefresh;
            return this;
        }

        /**
         * @param issuer the value {@code iss} must equal; when unset, any issuer is accepted
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = Optional.of(requireNotBlank(issuer, "issuer"));
            return this;
        }

        /**
         * @param audience a value {@code aud} must contain; when unset, any audience is accepted
         * @return this builder
         */
        public Builder audience(String audience) {
            this.audience = Optional.of(requireNotBlank(audience, "audience"));
            return this;
        }

        /**
         * @param skew how far {@code exp} and {@code nbf} may be off, in whole seconds (default 30 s)
         * @return this builder
         */
        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "clockSkew");
            if (skew.isNegative() || skew.toSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("clock-skew must be between 0 and " + Integer.MAX_VALUE + " seconds");
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * @param require whether tokens without {@code exp} are refused (default {@code true})
         * @return this builder
         */
        public Builder requireExpiry(boolean require) {
            this.requireExpiry = require;
            return this;
        }

        /**
         * @param clock the clock for {@code exp} and {@code nbf} (default the UTC system clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param length the longest display name taken from {@code name} (default
         *               {@link ChatLimits#DEFAULTS}' limit); longer names are cut
         * @return this builder
         */
        public Builder maxDisplayNameLength(int length) {
            if (length < 1) {
                throw new IllegalArgumentException("max-display-name-length must be positive");
            }
            this.maxDisplayNameLength = length;
            return this;
        }

        /**
         * @param tokens how many accepted tokens to remember until they expire, so that a token presented
         *               again (long-polls, command POSTs, reconnects) is not parsed and checked again; 0 turns
         *               this off (default {@value #DEFAULT_VERIFIED_TOKEN_CACHE})
         * @return this builder
         */
        public Builder verifiedTokenCache(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("verified-token-cache must not be negative");
            }
            this.verifiedTokenCache = tokens;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException when no key is configured, both a PEM key and a JWKS file are,
         *                                  or an allowed algorithm has no key to check it
         */
        public JwtSettings build() {
            boolean hasSecret = hmacSecret.length > 0;
            if (Stream.of(publicKeyPem, jwksFile, jwksUrl).filter(Optional::isPresent).count() > 1) {
                throw new IllegalArgumentException("configure one of public-key-pem, jwks-file and jwks-url");
            }
            if (!hasSecret && publicKeyPem.isEmpty() && jwksFile.isEmpty() && jwksUrl.isEmpty()) {
                throw new IllegalArgumentException("configure hmac-secret, public-key-pem, jwks-file or jwks-url");
            }
            Optional<PublicKey> key = publicKeyPem.map(PemPublicKeys::parse);
            Set<JwsAlgorithm> allowed = algorithms.isEmpty() ? defaultAlgorithms(hasSecret, key) : algorithms;
            checkEveryAlgorithmHasAKey(allowed, hasSecret, key);
            checkEveryKeyHasAnAlgorithm(allowed, hasSecret);
            return new JwtSettings(this, Collections.unmodifiableSet(EnumSet.copyOf(allowed)), key);
        }

        private Set<JwsAlgorithm> defaultAlgorithms(boolean hasSecret, Optional<PublicKey> key) {
            Set<JwsAlgorithm> defaults = EnumSet.noneOf(JwsAlgorithm.class);
            if (hasSecret) {
                defaults.add(JwsAlgorithm.HS256);
            }
            if (key.isPresent()) {
                defaults.add(key.get() instanceof RSAPublicKey ? JwsAlgorithm.RS256 : JwsAlgorithm.ES256);
            }
            if (jwksFile.isPresent() || jwksUrl.isPresent()) {
                defaults.add(JwsAlgorithm.RS256);
                defaults.add(JwsAlgorithm.ES256);
            }
            return defaults;
        }

        private void checkEveryAlgorithmHasAKey(Set<JwsAlgorithm> allowed, boolean hasSecret, Optional<PublicKey> key) {
            for (JwsAlgorithm algorithm : allowed) {
                switch (algorithm.keyKind()) {
                    case SECRET -> {
                        if (!hasSecret) {
                            throw new IllegalArgumentException(algorithm + " is allowed but no hmac-secret is configured");
                        }
                        if (hmacSecret.length < algorithm.minSecretBytes()) {
                            throw new IllegalArgumentException(algorithm + " needs an hmac-secret of at least "
                                    + algorithm.minSecretBytes() + " bytes");
                        }
                    }
                    case RSA, EC -> {
                        if (key.isEmpty() && jwksFile.isEmpty() && jwksUrl.isEmpty()) {
                            throw new IllegalArgumentException(
                                    algorithm + " is allowed but no public-key-pem, jwks-file or jwks-url is configured");
                        }
                        if (key.isPresent() && !key.get().getAlgorithm().equals(algorithm.keyKind().name())) {
                            throw new IllegalArgumentException(algorithm + " is allowed but public-key-pem holds an "
                                    + key.get().getAlgorithm() + " key");
                        }
                    }
                }
            }
        }

        // A configured key that no allowed algorithm uses is a misconfiguration, not a harmless extra.
        private void checkEveryKeyHasAnAlgorithm(Set<JwsAlgorithm> allowed, boolean hasSecret) {
            boolean secretUsed = allowed.stream().anyMatch(a -> a.keyKind() == JwsAlgorithm.KeyKind.SECRET);
            boolean publicKeyUsed = allowed.stream().anyMatch(a -> a.keyKind() != JwsAlgorithm.KeyKind.SECRET);
            if (hasSecret && !secretUsed) {
                throw new IllegalArgumentException("hmac-secret is configured but no HS algorithm is allowed");
            }
            if ((publicKeyPem.isPresent() || jwksFile.isPresent() || jwksUrl.isPresent()) && !publicKeyUsed) {
                throw new IllegalArgumentException("a public key is configured but no RS, PS or ES algorithm is allowed");
            }
        }

        private static String requireNotBlank(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}

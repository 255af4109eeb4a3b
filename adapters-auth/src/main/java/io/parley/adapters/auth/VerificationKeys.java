package io.parley.adapters.auth;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.UnresolvableKeyException;

import java.security.Key;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the key that checks a token's signature. The key is chosen by the kind of algorithm, never the
 * other way round: HMAC algorithms only ever get the configured secret, public-key algorithms only ever
 * get a public key, and only algorithms on the allow-list get a key at all. That is what defeats
 * algorithm confusion (an HS256 token "signed" with the public key as the HMAC secret).
 */
final class VerificationKeys implements VerificationKeyResolver {
    private final Set<JwsAlgorithm> allowed;
    private final Optional<HmacKey> secret;
    private final Optional<PublicKey> publicKey;
    private final List<PublicJsonWebKey> keySet;
    private final Optional<JwksUrl> remoteKeySet;

    private VerificationKeys(Set<JwsAlgorithm> allowed, Optional<HmacKey> secret, Optional<PublicKey> publicKey,
                             List<PublicJsonWebKey> keySet, Optional<JwksUrl> remoteKeySet) {
        this.allowed = allowed;
        this.secret = secret;
        this.publicKey = publicKey;
        this.keySet = keySet;
        this.remoteKeySet = remoteKeySet;
    }

    /** Reads the keys the settings name; a JWKS file is read here, once. */
    static VerificationKeys from(JwtSettings settings) {
        Optional<HmacKey> secret = settings.hasHmacSecret()
                ? Optional.of(new HmacKey(settings.hmacSecretBytes()))
                : Optional.empty();
        List<PublicJsonWebKey> keySet = settings.jwksFile().map(JwksFile::load).orElse(List.of());
        Optional<JwksUrl> remote = settings.jwksUrl().map(url -> new JwksUrl(url, settings.jwksCache(),
                settings.jwksMinRefreshInterval(), settings.jwksCaFile(), settings.clock()));
        return new VerificationKeys(settings.allowedAlgorithms(), secret, settings.publicKey(), keySet, remote);
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        // jose4j resolves the key before it applies the algorithm constraints, so the allow-list is checked
        // here too: a disallowed algorithm must never get as far as a key.
        JwsAlgorithm algorithm = JwsAlgorithm.fromHeader(jws.getAlgorithmHeaderValue())
                .filter(allowed::contains)
                .orElseThrow(() -> new UnresolvableKeyException("token algorithm not allowed",
                        new InvalidAlgorithmException("token algorithm not allowed")));
        if (algorithm.keyKind() == JwsAlgorithm.KeyKind.SECRET) {
            return secret.orElseThrow(() -> new UnresolvableKeyException("no secret configured"));
        }
        if (publicKey.isPresent()) {
            return publicKey.get();
        }
        return fromKeySet(jws.getKeyIdHeaderValue(), algorithm.jwkKeyType().orElseThrow());
    }

    private Key fromKeySet(String keyId, String keyType) throws UnresolvableKeyException {
        List<PublicJsonWebKey> candidates = candidates(remoteKeySet.isPresent() ? remoteKeySet.get().keys() : keySet,
                keyId, keyType);
        if (candidates.isEmpty() && keyId != null && remoteKeySet.isPresent() && remoteKeySet.get().refresh()) {
            // A kid the set does not hold: the issuer may have rotated its key since the set was fetched.
            candidates = candidates(remoteKeySet.get().keys(), keyId, keyType);
        }
        if (candidates.size() == 1) {
            return candidates.getFirst().getPublicKey();
        }
        // Without a kid we could only guess between several keys; refuse rather than try them all.
        throw new UnresolvableKeyException(candidates.isEmpty()
                ? "no key in the key set matches the token's kid and algorithm"
                : "the token has no kid and the key set holds several keys for its algorithm");
    }

    private static List<PublicJsonWebKey> candidates(List<PublicJsonWebKey> keys, String keyId, String keyType) {
        return keys.stream()
                .filter(key -> key.getKeyType().equals(keyType))
                .filter(key -> keyId == null || keyId.equals(key.getKeyId()))
                .toList();
    }
}

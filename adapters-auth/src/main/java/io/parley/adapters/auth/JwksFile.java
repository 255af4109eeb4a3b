package io.parley.adapters.auth;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.Use;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a JWKS (JSON Web Key Set) file once. Only RSA and EC keys meant for signatures are kept;
 * symmetric ({@code oct}) keys are never used for verification, so a key set cannot smuggle in an HMAC
 * secret.
 */
final class JwksFile {
    private JwksFile() {
    }

    /**
     * @param path the file
     * @return the usable keys, at least one
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException when it is not a key set or holds no usable key
     */
    static List<PublicJsonWebKey> load(Path path) {
        String json;
        try {
            json = Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jwks-file " + path, e);
        }
        List<JsonWebKey> keys;
        try {
            keys = new JsonWebKeySet(json).getJsonWebKeys();
        } catch (JoseException e) {
            throw new IllegalArgumentException("jwks-file " + path + " is not a JSON Web Key Set", e);
        }
        List<PublicJsonWebKey> usable = keys.stream()
                .filter(key -> key instanceof RsaJsonWebKey || key instanceof EllipticCurveJsonWebKey)
                .filter(key -> key.getUse() == null || Use.SIGNATURE.equals(key.getUse()))
                .map(PublicJsonWebKey.class::cast)
                .toList();
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("jwks-file " + path + " holds no RSA or EC signature key");
        }
        return usable;
    }
}
